import { readJson, readTimestamp } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { SHIPPED_YEARS } from './default-years.ts';

export interface HolidayYearSummary {
  year: number;
  notice: string;
  /** `loaded`: from the calendar_years table (it overrides a shipped year); `shipped`: the default. */
  source: 'loaded' | 'shipped';
  /** True when the code ships this year too (a loaded year then replaces it). */
  shipped: boolean;
  loaded_at: string | null;
  holiday_days: number;
  makeup_days: number;
}

/** Every year with a holiday arrangement, loaded or shipped, in year order. */
export async function listHolidayYearSummaries(db: DbOrTx): Promise<HolidayYearSummary[]> {
  const rows = await db.selectFrom('calendar_years').selectAll().execute();
  const shipped = new Set(SHIPPED_YEARS.map((y) => y.year));
  const byYear = new Map<number, HolidayYearSummary>();
  for (const y of SHIPPED_YEARS) {
    byYear.set(y.year, {
      year: y.year,
      notice: y.notice,
      source: 'shipped',
      shipped: true,
      loaded_at: null,
      holiday_days: new Set(Object.values(y.holidays).flat()).size,
      makeup_days: y.makeupDays.length,
    });
  }
  for (const row of rows) {
    byYear.set(row.year, {
      year: row.year,
      notice: row.notice,
      source: 'loaded',
      shipped: shipped.has(row.year),
      loaded_at: readTimestamp(row.loaded_at),
      holiday_days: new Set(Object.values(readJson<Record<string, string[]>>(row.holidays)).flat()).size,
      makeup_days: readJson<string[]>(row.makeup_days).length,
    });
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}
