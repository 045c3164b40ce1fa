import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { requestFilter, type RequestsQuery } from '../core/open311/filters.ts';
import { stagesOf } from '../core/open311/status.ts';
import { PUBLIC_DETAIL_KINDS } from '../core/open311/visibility.ts';
import { subtreeRange } from '../core/regions/codes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { withinCircle } from './region-area.ts';
import { requestsQuery, toRequest, type Open311Request } from './request-view.ts';
import { findJurisdiction } from './services-scope.ts';

export interface ListRequestsDeps {
  db: DbOrTx;
  clock: Clock;
  /** `https://host:port` of this server, for links to uploaded photos. */
  origin: string;
}

/**
 * GET requests (docs/open311.md): by `service_request_id` (a comma list of case references, which
 * overrides every other filter, paging included), or the newest requests of a window on the
 * request time (by default the last 90 days) filtered by `service_code`, `status` and the circle
 * of `lat`/`long`/`radius`, one page of at most 1,000 (`page`, `page_size`); a `jurisdiction_id`
 * region narrows either to its subtree. Public: no key.
 */
export async function listRequests(
  deps: ListRequestsDeps,
  query: RequestsQuery & { jurisdiction_id?: string | undefined },
): Promise<Open311Request[]> {
  const region = await findJurisdiction(deps.db, query.jurisdiction_id);
  const filter = requestFilter(query, deps.clock.now());
  let q = requestsQuery(deps.db);
  if (region) {
    const { low, high } = subtreeRange(region.code, region.level);
    q = q.where('c.region_code', '>=', low).where('c.region_code', '<=', high);
  }
  if (filter.kind === 'ids') {
    if (filter.ids.length === 0) return [];
    q = q.where('c.reference', 'in', filter.ids);
  } else {
    // cases_reported_idx (reported_at), newest first; the other conditions filter along it.
    q = q
      .where('c.reported_at', '>=', filter.from.toISOString())
      .where('c.reported_at', '<=', filter.to.toISOString())
      .offset(filter.offset)
      .limit(filter.limit);
    if (filter.service_codes) q = q.where('c.category_code', 'in', filter.service_codes);
    if (filter.statuses) q = q.where('c.stage', 'in', stagesOf(filter.statuses));
    if (filter.near) {
      // Only cases that show their point may be found by it: searching around an address must not
      // reveal where a dispute or a public-order lead was reported (visibility.ts).
      q = q.where('cat.kind', 'in', PUBLIC_DETAIL_KINDS);
      q = q.where(withinCircle('c.lat', 'c.lon', filter.near));
    }
  }
  const rows = await q.orderBy('c.reported_at', 'desc').orderBy('c.reference', 'desc').execute();
  return rows.map((r) => toRequest(r, deps.origin));
}

/** GET requests/{id}: one request, by its case reference; `open311.request_not_found` otherwise. */
export async function getRequest(
  deps: ListRequestsDeps,
  id: string,
  jurisdiction?: string,
): Promise<Open311Request> {
  await findJurisdiction(deps.db, jurisdiction);
  // cases.reference unique index.
  const row = await requestsQuery(deps.db).where('c.reference', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('open311.request_not_found', { service_request_id: id });
  return toRequest(row, deps.origin);
}
