/** Table types of migration 0006-calendar (src/db/schema.ts puts them into `Database`). */
export interface CalendarYearTable {
  year: number;
  notice: string;
  /** JSON text: festival name → dates `YYYY-MM-DD`. */
  holidays: string;
  /** JSON text: dates `YYYY-MM-DD` of make-up working days (调休). */
  makeup_days: string;
  loaded_at: string;
}

export interface CalendarWorkPeriodTable {
  region_code: string;
  /** JSON text: [{"start": "HH:MM", "end": "HH:MM"}, …]. */
  periods: string;
  updated_at: string;
}
