import { recordAudit, type AuditEntry } from '../accounts/record-audit.ts';
import type { Clock } from '../core/clock.ts';
import { checkHolidayYear, type HolidayYear } from '../core/calendar/definition.ts';
import type { DbOrTx } from '../db/schema.ts';
import { bumpRevision } from '../db/revisions.ts';
import { inTransaction } from '../db/transaction.ts';

export interface LoadedYear {
  year: number;
  /** True when the year was already loaded and has been replaced (a corrected notice). */
  replaced: boolean;
  holidays: number;
  makeup_days: number;
}

/**
 * Loads one year's holidays and make-up working days, as announced each November, replacing a
 * year loaded before. Refused with `calendar.year_rejected` (listing every problem) when a date
 * lies outside the year, a make-up day is not a weekend day, or a date is both; then nothing is
 * written. Audited (`calendar.load_year`) in the write's transaction; no actor: the system.
 */
export async function loadHolidayYear(
  deps: { db: DbOrTx; clock: Clock; actor?: AuditEntry['actor'] },
  input: HolidayYear,
): Promise<LoadedYear> {
  checkHolidayYear(input);
  const holidays = Object.fromEntries(
    Object.entries(input.holidays).map(([name, dates]) => [name, [...dates].sort()]),
  );
  const makeup = [...input.makeupDays].sort();
  const values = {
    notice: input.notice.trim(),
    holidays: JSON.stringify(holidays),
    makeup_days: JSON.stringify(makeup),
    loaded_at: deps.clock.now().toISOString(),
  };
  const replaced = await inTransaction(deps.db, async (tx) => {
    await bumpRevision(tx, 'calendar_revision');
    const before = await tx
      .selectFrom('calendar_years')
      .select('year')
      .where('year', '=', input.year)
      .executeTakeFirst();
    await tx
      .insertInto('calendar_years')
      .values({ year: input.year, ...values })
      .onConflict((oc) => oc.column('year').doUpdateSet(values))
      .execute();
    await recordAudit(tx, {
      actor: deps.actor ?? null,
      action: 'calendar.load_year',
      target_type: 'calendar_year',
      target_id: String(input.year),
      details: { notice: values.notice, holidays, makeup_days: makeup, replaced: before !== undefined },
      at: deps.clock.now(),
    });
    return before !== undefined;
  });
  return {
    year: input.year,
    replaced,
    holidays: new Set(Object.values(holidays).flat()).size,
    makeup_days: makeup.length,
  };
}
