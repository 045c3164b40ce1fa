import { DomainError } from '../errors.ts';
import { parseW3cDateTime } from './dates.ts';
import { OPEN311_STATUSES, type Open311Status } from './status.ts';

/** GeoReport v2: a query spans at most 90 days and answers at most 1,000 requests. */
export const MAX_SPAN_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DAY_MS = 24 * 3600 * 1000;

/** Nearby search (`lat`, `long`, `radius`): the radius in meters, by default and at most. */
export const NEAR_RADIUS = { default: 500, min: 1, max: 10000 } as const;
/** Paging extension (`page`, `page_size`; GeoReport/v2/Extensions.md): a page holds at most 1,000. */
export const PAGE_SIZE = { default: MAX_REQUESTS, max: MAX_REQUESTS } as const;
/** Meters per degree of latitude (and of longitude at the equator), as the equirectangular test uses. */
export const METERS_PER_DEGREE = 111320;

/** The query of GET requests as sent: every parameter optional, an empty one the same as none. */
export interface RequestsQuery {
  service_request_id?: string | undefined;
  service_code?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
  status?: string | undefined;
  lat?: string | undefined;
  long?: string | undefined;
  radius?: string | undefined;
  page?: string | undefined;
  page_size?: string | undefined;
}

/** A circle around a WGS84 point: `radius` meters around (`lon`, `lat`) degrees. */
export interface NearFilter {
  lat: number;
  lon: number;
  radius: number;
}

export type RequestFilter =
  | { kind: 'ids'; ids: string[] }
  | {
      kind: 'window';
      /** requested_datetime ≥ from and ≤ to. */
      from: Date;
      to: Date;
      service_codes: string[] | null;
      statuses: Open311Status[] | null;
      /** Only requests whose point lies within the circle (equirectangular distance, nearbyBounds). */
      near: NearFilter | null;
      /** The page: skip `offset` requests of the order (newest first), answer at most `limit`. */
      offset: number;
      limit: number;
    };

function present(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** A comma list without blanks or repeats. */
export function commaList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

export function parseDateParam(name: string, value: string): Date {
  const when = parseW3cDateTime(value);
  if (!when) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: name,
      rule: 'a W3C date and time with its time zone, e.g. 2026-03-01T00:00:00Z',
    });
  }
  return when;
}

/**
 * A window of at most `maxDays`: both ends as given (refused when further apart), one end and
 * `maxDays` from it, or the last `defaultDays` up to now.
 */
export function dateWindow(
  start: string | undefined,
  end: string | undefined,
  now: Date,
  defaultDays: number,
  maxDays = MAX_SPAN_DAYS,
): { from: Date; to: Date } {
  const s = present(start);
  const e = present(end);
  const from = s === undefined ? undefined : parseDateParam('start_date', s);
  const to = e === undefined ? undefined : parseDateParam('end_date', e);
  if (from && to) {
    if (to < from) {
      throw new DomainError('open311.parameter_invalid', {
        parameter: 'end_date',
        rule: 'not before start_date',
      });
    }
    if (to.getTime() - from.getTime() > maxDays * DAY_MS) {
      throw new DomainError('open311.parameter_invalid', {
        parameter: 'end_date',
        rule: `at most ${maxDays} days after start_date`,
      });
    }
    return { from, to };
  }
  if (from) return { from, to: new Date(from.getTime() + maxDays * DAY_MS) };
  if (to) return { from: new Date(to.getTime() - maxDays * DAY_MS), to };
  return { from: new Date(now.getTime() - defaultDays * DAY_MS), to: now };
}

function invalidParameter(parameter: string, rule: string): DomainError {
  return new DomainError('open311.parameter_invalid', { parameter, rule });
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function decimalParam(name: string, value: string, min: number, max: number, unit = ''): number {
  const n = Number(value);
  if (!DECIMAL.test(value) || !Number.isFinite(n) || n < min || n > max) {
    throw invalidParameter(name, `a number from ${min} to ${max}${unit}`);
  }
  return n;
}

function integerParam(name: string, value: string | undefined, fallback: number, max?: number): number {
  const v = present(value);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1 || (max !== undefined && n > max)) {
    throw invalidParameter(
      name,
      max === undefined ? 'an integer of at least 1' : `an integer from 1 to ${max}`,
    );
  }
  return n;
}

/** `lat` and `long` (WGS84 degrees, both or neither) and `radius` (meters, only with them). */
export function nearParams(query: Pick<RequestsQuery, 'lat' | 'long' | 'radius'>): NearFilter | null {
  const lat = present(query.lat);
  const lon = present(query.long);
  const radius = present(query.radius);
  if (lat === undefined && lon === undefined) {
    if (radius !== undefined) throw invalidParameter('radius', 'only with lat and long');
    return null;
  }
  if (lat === undefined) throw invalidParameter('lat', 'lat and long together');
  if (lon === undefined) throw invalidParameter('long', 'lat and long together');
  return {
    lat: decimalParam('lat', lat, -90, 90),
    lon: decimalParam('long', lon, -180, 180),
    radius:
      radius === undefined
        ? NEAR_RADIUS.default
        : decimalParam('radius', radius, NEAR_RADIUS.min, NEAR_RADIUS.max, ' meters'),
  };
}

/** `page` (from 1) and `page_size` (1–1,000, by default 1,000) as an offset and a limit. */
export function pageParams(query: Pick<RequestsQuery, 'page' | 'page_size'>): {
  offset: number;
  limit: number;
} {
  const page = integerParam('page', query.page, 1);
  const size = integerParam('page_size', query.page_size, PAGE_SIZE.default, PAGE_SIZE.max);
  const offset = (page - 1) * size;
  if (!Number.isSafeInteger(offset)) throw invalidParameter('page', 'an integer of at least 1');
  return { offset, limit: size };
}

/**
 * The bounding box of a circle and the factor of the equirectangular distance test: a point
 * (lon, lat) is within `radius` meters when ((lon − lon0)·k)² + (lat − lat0)² ≤ degrees², k =
 * cos(lat0), 111,320 m a degree. At China's latitudes it is right to within half a percent (a
 * few meters at the default 500 m); the box lets the database drop far points before the
 * arithmetic. Longitudes do not wrap at ±180° (no grid of this platform lies there); near a
 * pole, where a degree of longitude shrinks to nothing, the box spans every longitude.
 */
export function nearbyBounds(near: NearFilter): {
  k: number;
  degrees: number;
  lat: { min: number; max: number };
  lon: { min: number; max: number } | null;
} {
  const k = Math.cos((near.lat * Math.PI) / 180);
  const degrees = near.radius / METERS_PER_DEGREE;
  const lonSpan = k > 0 ? degrees / k : Infinity;
  return {
    k,
    degrees,
    lat: { min: near.lat - degrees, max: near.lat + degrees },
    lon: lonSpan >= 180 ? null : { min: near.lon - lonSpan, max: near.lon + lonSpan },
  };
}

/**
 * GET requests' filters: `service_request_id` (a comma list) overrides all others, paging
 * included; otherwise `service_code` (comma list), `status` (open, closed; comma list), a window
 * on the request time (by default the last 90 days), the circle of `lat`/`long`/`radius`, and the
 * page (`page`, `page_size`: by default the first 1,000 requests, newest first).
 */
export function requestFilter(query: RequestsQuery, now: Date): RequestFilter {
  const ids = present(query.service_request_id);
  if (ids !== undefined) {
    const list = commaList(ids);
    if (list.length > MAX_REQUESTS) {
      throw new DomainError('open311.parameter_invalid', {
        parameter: 'service_request_id',
        rule: `at most ${MAX_REQUESTS} ids`,
      });
    }
    return { kind: 'ids', ids: list };
  }
  const codes = present(query.service_code);
  const status = present(query.status);
  let statuses: Open311Status[] | null = null;
  if (status !== undefined) {
    const list = commaList(status.toLowerCase());
    const bad = list.filter((s) => !(OPEN311_STATUSES as readonly string[]).includes(s));
    if (bad.length > 0) {
      throw new DomainError('open311.parameter_invalid', {
        parameter: 'status',
        rule: 'open, closed or both',
      });
    }
    statuses = list as Open311Status[];
  }
  return {
    kind: 'window',
    ...dateWindow(query.start_date, query.end_date, now, MAX_SPAN_DAYS),
    service_codes: codes === undefined || commaList(codes).length === 0 ? null : commaList(codes),
    statuses: statuses && statuses.length > 0 ? statuses : null,
    near: nearParams(query),
    ...pageParams(query),
  };
}
