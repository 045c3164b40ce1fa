import {
  DEFAULT_WEEKEND,
  DEFAULT_WORK_PERIODS,
  type HolidayYear,
  type WorkPeriod,
} from '../core/calendar/definition.ts';
import { buildCalendar, type WorkCalendar } from '../core/calendar/work-calendar.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';
import { SHIPPED_YEARS } from './default-years.ts';

export interface RegionCalendar {
  calendar: WorkCalendar;
  /** The 12-digit code asked for; null for the national default. */
  region: string | null;
  /** The region whose work periods apply (the region or its nearest ancestor with a setting); null: default. */
  periods_from: string | null;
  periods: WorkPeriod[];
  /** Years with a holiday arrangement; other years count only weekends as days off. */
  years: number[];
}

/** The holiday years in force: the loaded ones, and the shipped ones for years not loaded. */
export async function listHolidayYears(db: DbOrTx): Promise<HolidayYear[]> {
  const rows = await db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  const byYear = new Map(SHIPPED_YEARS.map((y) => [y.year, y]));
  for (const row of rows) {
    byYear.set(row.year, {
      year: row.year,
      notice: row.notice,
      holidays: readJson<Record<string, string[]>>(row.holidays),
      makeupDays: readJson<string[]>(row.makeup_days),
    });
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/**
 * The working-time calendar of a region: national holidays, and the work periods of the most
 * specific region in its ancestry that sets them (the region itself first), else 08:30–12:00 and
 * 14:00–17:30. Without a region, the national default.
 */
export async function getCalendar(db: DbOrTx, regionInput?: string): Promise<RegionCalendar> {
  let region: string | null = null;
  let periods: WorkPeriod[] = [...DEFAULT_WORK_PERIODS];
  let periodsFrom: string | null = null;
  if (regionInput !== undefined) {
    const found = await getRegion(db, regionInput);
    region = found.code;
    // Most specific first: the region, then its ancestors from the county up to the province.
    const lineage = [found.code, ...found.path.map((r) => r.code).reverse()];
    const rows = await db
      .selectFrom('calendar_work_periods')
      .select(['region_code', 'periods'])
      .where('region_code', 'in', lineage)
      .execute();
    const nearest = lineage.map((code) => rows.find((r) => r.region_code === code)).find((r) => r);
    if (nearest) {
      periods = readJson<WorkPeriod[]>(nearest.periods);
      periodsFrom = nearest.region_code;
    }
  }
  const years = await listHolidayYears(db);
  const calendar = buildCalendar({ periods, weekend: [...DEFAULT_WEEKEND], years });
  return { calendar, region, periods_from: periodsFrom, periods, years: years.map((y) => y.year) };
}
