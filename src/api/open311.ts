import { z } from 'zod';

/**
 * Shapes of the Open311 GeoReport v2 interface (docs/open311.md). Its answers follow the
 * specification's field names exactly; the JSON Schemas of open311/schema-validation check them in
 * the tests. Parameters arrive as text (query string, form-encoded or multipart body).
 */
export type Open311Format = 'json' | 'xml';

/** XML element names of list items: `<services><service>…`, `<attributes><attribute>…`. */
export const OPEN311_XML_ITEMS: Readonly<Record<string, string>> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  service_requests_updates: 'request_update',
  service_request_updates: 'request_update',
};

const text = z.string().optional();

/** Parameters every method accepts: the region a multi-region platform answers for. */
export const Open311Common = z.looseObject({ jurisdiction_id: text });

export const Open311RequestsQuery = Open311Common.extend({
  service_request_id: text,
  service_code: text,
  start_date: text,
  end_date: text,
  status: text,
  // Nearby search and paging, extensions of GET requests (docs/open311.md).
  lat: text,
  long: text,
  radius: text,
  page: text,
  page_size: text,
});

export const Open311UpdatesQuery = Open311Common.extend({
  api_key: text,
  start_date: text,
  end_date: text,
  since: text,
});

/** POST requests; `attribute[code]` (and `attribute[code][]` for lists) are gathered apart. */
export const Open311RequestForm = Open311Common.extend({
  api_key: text,
  service_code: text,
  lat: text,
  long: text,
  address_string: text,
  address_id: text,
  email: text,
  device_id: text,
  account_id: text,
  first_name: text,
  last_name: text,
  phone: text,
  description: text,
  media_url: text,
});

/** POST servicerequestupdates (mySociety); first_name, last_name, email and phone are not kept. */
export const Open311UpdateForm = Open311Common.extend({
  api_key: text,
  service_request_id: text,
  update_id: text,
  status: text,
  updated_datetime: text,
  description: text,
  media_url: text,
  external_status_code: text,
  account_id: text,
});
