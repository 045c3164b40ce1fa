import { readFileSync } from 'node:fs';
import type { HolidayYear } from '../core/calendar/definition.ts';

interface ShippedYear {
  notice: string;
  holidays: Record<string, string[]>;
  makeup_workdays: string[];
}

/**
 * The holiday years shipped with the code (holidays-cn.json, copied from the State Council
 * notices; docs/calendar.md). They answer for every year the `calendar_years` table lacks; a
 * year loaded by an administrator replaces the shipped one.
 */
export const SHIPPED_YEARS: readonly HolidayYear[] = Object.entries(
  JSON.parse(readFileSync(new URL('./holidays-cn.json', import.meta.url), 'utf8')) as Record<
    string,
    ShippedYear
  >,
).map(([year, y]) => ({
  year: Number(year),
  notice: y.notice,
  holidays: y.holidays,
  makeupDays: y.makeup_workdays,
}));
