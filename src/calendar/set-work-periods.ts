import { recordAudit, type AuditEntry } from '../accounts/record-audit.ts';
import type { Clock } from '../core/clock.ts';
import { parseWorkPeriods, type WorkPeriod } from '../core/calendar/definition.ts';
import { getRegion } from '../regions/find-regions.ts';
import type { DbOrTx } from '../db/schema.ts';
import { bumpRevision } from '../db/revisions.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * Sets the work periods of a region and of its subtree, unless a region deeper down sets its own
 * (a township whose service hall opens at 09:00). `null` removes the setting, so the region
 * inherits again. Refused with `calendar.periods_rejected` for malformed or overlapping periods.
 * Audited (`calendar.set_work_periods`) in the write's transaction; no actor: the system.
 */
export async function setWorkPeriods(
  deps: { db: DbOrTx; clock: Clock; actor?: AuditEntry['actor'] },
  regionInput: string,
  periods: WorkPeriod[] | null,
): Promise<{ region: string; periods: WorkPeriod[] | null }> {
  const region = await getRegion(deps.db, regionInput);
  if (periods !== null) parseWorkPeriods(periods);
  const stored = periods?.map((p) => ({ start: p.start, end: p.end })) ?? null;
  await inTransaction(deps.db, async (tx) => {
    await bumpRevision(tx, 'calendar_revision');
    if (stored === null) {
      await tx.deleteFrom('calendar_work_periods').where('region_code', '=', region.code).execute();
    } else {
      const values = { periods: JSON.stringify(stored), updated_at: deps.clock.now().toISOString() };
      await tx
        .insertInto('calendar_work_periods')
        .values({ region_code: region.code, ...values })
        .onConflict((oc) => oc.column('region_code').doUpdateSet(values))
        .execute();
    }
    await recordAudit(tx, {
      actor: deps.actor ?? null,
      action: 'calendar.set_work_periods',
      target_type: 'region',
      target_id: region.code,
      details: { periods: stored },
      at: deps.clock.now(),
    });
  });
  return { region: region.code, periods: stored };
}
