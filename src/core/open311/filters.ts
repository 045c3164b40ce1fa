import { DomainError } from '../errors.ts';
import { parseW3cDateTime } from './dates.ts';
import { OPEN311_STATUSES, type Open311Status } from './status.ts';

/** GeoReport v2: a query spans at most 90 days and answers at most 1,000 requests. */
export const MAX_SPAN_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The query of GET requests as sent: every parameter optional, an empty one the same as none. */
export interface RequestsQuery {
  service_request_id?: string | undefined;
  service_code?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
  status?: string | undefined;
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

/**
 * GET requests' filters: `service_request_id` (a comma list) overrides all others; otherwise
 * `service_code` (comma list), `status` (open, closed; comma list) and a window on the request
 * time, by default the last 90 days, at most 1,000 requests (newest first).
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
    limit: MAX_REQUESTS,
  };
}
