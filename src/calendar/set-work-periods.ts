import type { Clock } from '../core/clock.ts';
import { parseWorkPeriods, type WorkPeriod } from '../core/calendar/definition.ts';
import { getRegion } from '../regions/find-regions.ts';
import type { DbOrTx } from '../db/schema.ts';

/**
 * Sets the work periods of a region and of its subtree, unless a region deeper down sets its own
 * (a township whose service hall opens at 09:00). `null` removes the setting, so the region
 * inherits again. Refused with `calendar.periods_rejected` for malformed or overlapping periods.
 */
export async function setWorkPeriods(
  deps: { db: DbOrTx; clock: Clock },
  regionInput: string,
  periods: WorkPeriod[] | null,
): Promise<{ region: string; periods: WorkPeriod[] | null }> {
  const region = await getRegion(deps.db, regionInput);
  if (periods === null) {
    await deps.db.deleteFrom('calendar_work_periods').where('region_code', '=', region.code).execute();
    return { region: region.code, periods: null };
  }
  parseWorkPeriods(periods);
  const values = {
    periods: JSON.stringify(periods.map((p) => ({ start: p.start, end: p.end }))),
    updated_at: deps.clock.now().toISOString(),
  };
  await deps.db
    .insertInto('calendar_work_periods')
    .values({ region_code: region.code, ...values })
    .onConflict((oc) => oc.column('region_code').doUpdateSet(values))
    .execute();
  return { region: region.code, periods };
}
