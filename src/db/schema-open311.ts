/** Table types of migration 0013-open311 (src/db/schema.ts puts them into `Database`). */
export interface Open311ApiKeyTable {
  id: string;
  /** SHA-256 (hex) of the key. */
  key_hash: string;
  label: string;
  may_post_requests: number;
  may_exchange_updates: number;
  /** The staff account a back-office system's status updates act as; null: updates become notes. */
  user_id: string | null;
  /** Address-only reports lie here; the update feed covers this subtree. */
  region_code: string;
  answer_with_token: number;
  rate_per_minute: number;
  /** 'YYYY-MM-DDTHH:MM' (UTC) of the minute counted in window_count. */
  window_start: string | null;
  window_count: number;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
  last_used_at: string | null;
}

export interface Open311AttributeTable {
  category_code: string;
  code: string;
  sort_order: number;
  datatype: string;
  variable: number;
  required: number;
  description: string;
  datatype_description: string | null;
  /** JSON array of { key, name }: text in SQLite, jsonb in PostgreSQL; read with readJson. */
  options: unknown;
  updated_at: string;
  updated_by: string;
}

export interface Open311SubmissionTable {
  token: string;
  /** The idempotency key of the case it created (cases.idempotency_key). */
  case_key: string;
  api_key_id: string;
  service_code: string;
  /** JSON object: answers by attribute code. */
  attributes: unknown;
  /** JSON object: attributes the definition does not name, kept as sent. */
  extra_attributes: unknown;
  address_id: string | null;
  device_id: string | null;
  account_id: string | null;
  created_at: string;
}

export interface Open311UpdateTable {
  api_key_id: string;
  update_id: string;
  case_id: string;
  status: string;
  external_status_code: string | null;
  updated_datetime: string;
  action: string;
  event_version: number | null;
  received_at: string;
}

/** Table type of migration 0020-open311-sandbox: requests posted to the test endpoint. */
export interface Open311SandboxRequestTable {
  service_request_id: string;
  token: string;
  api_key_id: string;
  service_code: string;
  description: string;
  address: string | null;
  region_code: string;
  grid_code: string | null;
  lat: number | null;
  lon: number | null;
  address_id: string | null;
  /** JSON object: answers by attribute code. */
  attributes: unknown;
  media_url: string | null;
  created_at: string;
}
