import type { Clock } from '../core/clock.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { Stage } from '../core/workflow/stages.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { GridLocator } from '../grids/grid-locator.ts';
import { stageLabel, type Label } from '../i18n/case-labels.ts';
import { suggestDuplicates, type DuplicateSettings } from './suggest-duplicates.ts';

export interface PublicDuplicate {
  id: string;
  reference: string;
  status: Stage;
  status_label: Label;
  title: string;
  distance_m: number;
  reported_at: string;
}

/**
 * "Is it one of these?" before a resident submits: the open cases of the category near the point,
 * by the same rule intake applies (suggest-duplicates.ts, now as the report time), shown as the
 * public view shows them, so that the resident can follow one instead of filing it again.
 */
export async function findPublicDuplicates(
  deps: { db: DbOrTx; clock: Clock; locator: GridLocator; settings?: DuplicateSettings | undefined },
  probe: { lon: number; lat: number; category: string },
): Promise<PublicDuplicate[]> {
  const found = await suggestDuplicates(deps, {
    category_code: probe.category,
    point: { lon: probe.lon, lat: probe.lat },
    at: deps.clock.now(),
  });
  if (found.length === 0) return [];
  const rows = await deps.db
    .selectFrom('cases')
    .select(['id', 'stage', 'title'])
    .where(
      'id',
      'in',
      found.map((f) => f.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return found.flatMap((f) => {
    const row = byId.get(f.id);
    if (!row) return [];
    return [
      {
        id: f.id,
        reference: f.reference,
        status: row.stage as Stage,
        status_label: stageLabel(row.stage),
        title: row.title,
        distance_m: f.distance_m,
        reported_at: readTimestamp(f.reported_at),
      },
    ];
  });
}
