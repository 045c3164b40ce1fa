import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { requestFilter, type RequestsQuery } from '../core/open311/filters.ts';
import { w3cDateTime } from '../core/open311/dates.ts';
import { PUBLIC_DETAIL_KINDS, showsDetails } from '../core/open311/visibility.ts';
import type { DbOrTx } from '../db/schema.ts';
import { bilingual, OPEN311_TEXTS } from '../i18n/open311.ts';
import { areaOf, deepestLevel, levelAbove, withinCircle } from './region-area.ts';
import type { Open311Request } from './request-view.ts';

function sandboxQuery(db: DbOrTx) {
  return (
    db
      .selectFrom('open311_sandbox_requests as t')
      .leftJoin('categories as cat', 'cat.code', 't.service_code')
      // regions primary key (code, level): the deepest row of the code and its parent's (region-area.ts).
      .leftJoin('regions as r', (join) =>
        join.onRef('r.code', '=', 't.region_code').on('r.level', '=', deepestLevel('t.region_code')),
      )
      .leftJoin('regions as p', (join) =>
        join.onRef('p.code', '=', 'r.parent_code').on('p.level', '=', levelAbove('r.level')),
      )
      .select([
        't.service_request_id',
        't.service_code',
        't.description',
        't.address',
        't.address_id',
        't.lat',
        't.lon',
        't.media_url',
        't.created_at',
        't.region_code',
        'cat.name as category_name',
        'cat.name_en as category_name_en',
        'cat.kind as category_kind',
        'r.name as region_name',
        'p.name as parent_name',
        'r.level as region_level',
      ])
  );
}

type SandboxRow = Awaited<ReturnType<ReturnType<typeof sandboxQuery>['execute']>>[number];

/**
 * A test request as production would show it (the same fields and the same rule on what is
 * public), always open: nobody handles it. Its status notes say so in both languages.
 */
function toSandboxRequest(row: SandboxRow): Open311Request {
  const details = showsDetails(row.category_kind ?? null);
  const at = w3cDateTime(row.created_at);
  return {
    service_request_id: row.service_request_id,
    status: 'open',
    status_notes: bilingual(OPEN311_TEXTS.sandboxStatus),
    service_name:
      row.category_name === null || row.category_name === undefined
        ? null
        : bilingual({ zh: row.category_name, en: row.category_name_en ?? '' }),
    service_code: row.service_code,
    description: details ? row.description : null,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: at,
    updated_datetime: at,
    expected_datetime: null,
    address: (details ? row.address?.trim() || null : null) ?? areaOf(row),
    address_id: details ? row.address_id : null,
    zipcode: null,
    lat: details && row.lat !== null ? Number(row.lat) : null,
    long: details && row.lon !== null ? Number(row.lon) : null,
    media_url: details ? row.media_url : null,
  };
}

/**
 * GET requests on the test endpoint: the test requests of the last day, with production's
 * parameters (service_request_id, service_code, status, start_date / end_date, lat / long /
 * radius, page / page_size). Every test
 * request is open, so `status=closed` finds none.
 */
export async function listSandboxRequests(
  deps: { db: DbOrTx; clock: Clock },
  query: RequestsQuery,
): Promise<Open311Request[]> {
  const filter = requestFilter(query, deps.clock.now());
  let q = sandboxQuery(deps.db);
  if (filter.kind === 'ids') {
    if (filter.ids.length === 0) return [];
    q = q.where('t.service_request_id', 'in', filter.ids);
  } else {
    if (filter.statuses && !filter.statuses.includes('open')) return [];
    // open311_sandbox_created_idx.
    q = q
      .where('t.created_at', '>=', filter.from.toISOString())
      .where('t.created_at', '<=', filter.to.toISOString())
      .offset(filter.offset)
      .limit(filter.limit);
    if (filter.service_codes) q = q.where('t.service_code', 'in', filter.service_codes);
    if (filter.near) {
      // As production: only requests that show their point may be found by it (list-requests.ts).
      q = q.where('cat.kind', 'in', PUBLIC_DETAIL_KINDS).where(withinCircle('t.lat', 't.lon', filter.near));
    }
  }
  const rows = await q.orderBy('t.created_at', 'desc').orderBy('t.service_request_id', 'desc').execute();
  return rows.map(toSandboxRequest);
}

/** GET requests/{id} on the test endpoint: `open311.request_not_found` for anything but a test request. */
export async function getSandboxRequest(db: DbOrTx, id: string): Promise<Open311Request> {
  const row = await sandboxQuery(db).where('t.service_request_id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('open311.request_not_found', { service_request_id: id });
  return toSandboxRequest(row);
}

/** GET tokens/{token} on the test endpoint. */
export async function findSandboxToken(
  db: DbOrTx,
  token: string,
): Promise<{ service_request_id: string; token: string }> {
  const row = await db
    .selectFrom('open311_sandbox_requests')
    .select('service_request_id')
    .where('token', '=', token)
    .executeTakeFirst();
  if (!row) throw new DomainError('open311.token_not_found', { token });
  return { service_request_id: row.service_request_id, token };
}
