import type { Clock } from '../core/clock.ts';
import { checkHolidayYear, type HolidayYear } from '../core/calendar/definition.ts';
import type { DbOrTx } from '../db/schema.ts';

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
 * lies outside the year, a make-up day is not a weekend day, or a date is both.
 */
export async function loadHolidayYear(
  deps: { db: DbOrTx; clock: Clock },
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
  const before = await deps.db
    .selectFrom('calendar_years')
    .select('year')
    .where('year', '=', input.year)
    .executeTakeFirst();
  await deps.db
    .insertInto('calendar_years')
    .values({ year: input.year, ...values })
    .onConflict((oc) => oc.column('year').doUpdateSet(values))
    .execute();
  return {
    year: input.year,
    replaced: before !== undefined,
    holidays: new Set(Object.values(holidays).flat()).size,
    makeup_days: makeup.length,
  };
}
