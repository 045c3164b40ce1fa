import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { w3cDateTime } from '../core/open311/dates.ts';
import { dateWindow, MAX_REQUESTS } from '../core/open311/filters.ts';
import { STAGE_UPDATE_STATUS } from '../core/open311/status.ts';
import { subtreeRange } from '../core/regions/codes.ts';
import type { Stage } from '../core/workflow/stages.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { actionLabel } from '../i18n/case-labels.ts';
import { bilingual } from '../i18n/open311.ts';
import { getRegion } from '../regions/find-regions.ts';
import { photoLink } from './request-view.ts';
import { useApiKey } from './use-api-key.ts';

/** One item of GET servicerequestupdates (mySociety's `request_update`). */
export interface RequestUpdate {
  update_id: string;
  service_request_id: string;
  status: string;
  updated_datetime: string;
  description: string;
  media_url: string;
  /** The case's stage after the update, Shanzhi's own status code. */
  external_status_code: string;
}

export interface UpdatesQuery {
  api_key?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
  /** An update_id: only later updates, oldest first (a cursor for polling). */
  since?: string | undefined;
}

/**
 * GET servicerequestupdates (docs/open311.md): every event of the cases in the key's region — each
 * workflow step, report and note — as a status update, oldest first, at most 1,000: those after
 * `since` (an update_id), or those of a window (`start_date`, `end_date`; by default the last 24
 * hours; at most 90 days). Needs a key with the `updates` right: reasons written by staff are shown.
 */
export async function listUpdates(
  deps: { db: DbOrTx; clock: Clock; origin: string },
  query: UpdatesQuery,
): Promise<RequestUpdate[]> {
  const client = await useApiKey(deps, query.api_key, 'updates');
  const scope = await getRegion(deps.db, client.region_code);
  const { low, high } = subtreeRange(scope.code, scope.level);
  let q = deps.db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select([
      'e.id',
      'e.at',
      'e.action',
      'e.to_stage',
      'e.reason',
      'e.payload',
      'c.reference',
      'c.stage',
      'c.registered_at',
    ])
    .where('c.region_code', '>=', low)
    .where('c.region_code', '<=', high);
  const since = query.since?.trim();
  if (since) {
    if (!/^\d{1,15}$/.test(since)) {
      throw new DomainError('open311.parameter_invalid', {
        parameter: 'since',
        rule: 'an update_id of this feed',
      });
    }
    // case_events primary key.
    q = q.where('e.id', '>', Number(since));
  } else {
    // case_events_at_idx (at).
    const { from, to } = dateWindow(query.start_date, query.end_date, deps.clock.now(), 1);
    q = q.where('e.at', '>=', from.toISOString()).where('e.at', '<=', to.toISOString());
  }
  const rows = await q.orderBy('e.id').limit(MAX_REQUESTS).execute();
  return rows.map((r) => {
    const payload = readJson<{ evidence?: unknown; photos?: unknown }>(r.payload);
    const refs = [
      ...(Array.isArray(payload.evidence) ? payload.evidence : []),
      ...(Array.isArray(payload.photos) ? payload.photos : []),
    ];
    const media = refs.map((ref) => photoLink(ref, r, deps.origin)).find((u) => u !== null) ?? '';
    const what = r.action === 'note' ? null : bilingual(actionLabel(r.action));
    const description = [what, r.reason].filter((t): t is string => Boolean(t)).join(': ');
    return {
      update_id: String(r.id),
      service_request_id: r.reference,
      status: STAGE_UPDATE_STATUS[r.to_stage as Stage].toLowerCase(),
      updated_datetime: w3cDateTime(r.at),
      description,
      media_url: media,
      external_status_code: r.to_stage,
    };
  });
}
