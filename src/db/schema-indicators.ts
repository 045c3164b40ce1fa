import type { Generated } from 'kysely';
import type { Counts } from '../core/indicators/indicators.ts';

/** Table types of migration 0010-indicators (src/db/schema.ts puts them into `Database`). */
export interface CaseDailyCountsTable extends Counts {
  county_code: string;
  region_code: string;
  /** '*' in roll-up rows over all grids; '' for cases without a grid. */
  grid_code: string;
  /** '*' in roll-up rows over all departments; '' for cases without an owner. */
  department_id: string;
  /** 'd': the day start_day; 'm': the month starting on start_day. */
  span: 'd' | 'm';
  start_day: string;
}

/** Migration 0018: counts a case change moved, not yet folded into case_daily_counts. */
export interface CaseCountDeltasTable {
  id: Generated<number>;
  county_code: string;
  region_code: string;
  /** '' for a case without a grid. */
  grid_code: string;
  /** '' for a case without an owner. */
  department_id: string;
  /** The China-time day the case was reported on, YYYY-MM-DD. */
  day: string;
  /** The nonzero counts moved, as JSON: {"cases":1,"intake_decided":1}. */
  counts: string;
}
