import { chinaDay, nextDay } from '../../../../../src/core/indicators/period.ts';
import type { CountKey } from '../../../../../src/core/indicators/indicators.ts';
import { COUNT_KEYS } from '../../../../../src/core/indicators/indicators.ts';
import {
  OVERVIEW_MEASURES,
  TREND_BUCKETS,
  type TrendBucket,
} from '../../../../../src/core/indicators/overview.ts';
import { overviewPath } from '../../routes.ts';
import type { Measure } from './overview-api.ts';

/**
 * The overview's place lives in the query string (`/console/overview?region=…&period=…`), so that a
 * reload, a bookmark, "back" and a wall screen's address keep it:
 * - `region`: the region drilled into (the user's scope when absent); `grid`: one of its grids;
 * - `period`: `7d`, `30d`, `90d`, `365d` (the days up to today, China time) or `YYYY-MM-DD..YYYY-MM-DD`;
 * - `bucket`: the trend's day, week or month (by the period's length when absent);
 * - `wall=1`: the wall screen (full screen, large type, refreshed every `refresh` seconds);
 * - `cases=<measure>` or `count=<base count>`: the list of the cases behind one number, narrowed by
 *   `category`, `channel` and `department`.
 */
export const PERIODS = ['7d', '30d', '90d', '365d'] as const;
export const DEFAULT_PERIOD = '365d';
/** The wall screen refreshes this often unless `refresh` says otherwise (at least 2 s). */
export const WALL_REFRESH_S = 60;

export interface OverviewPlace {
  region: string | null;
  grid: string | null;
  period: string;
  from: string;
  to: string;
  bucket: TrendBucket;
  wall: boolean;
  refreshS: number;
  cases: Measure | null;
  count: CountKey | null;
  category: string | null;
  channel: string | null;
  department: string | null;
}

const RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

/** The inclusive days of a period, as of `now`. */
export function periodRange(period: string, now = new Date()): { from: string; to: string } {
  const range = RANGE.exec(period);
  if (range && range[1]! <= range[2]!) return { from: range[1]!, to: range[2]! };
  const today = chinaDay(now.toISOString());
  const days = /^(\d{1,3})d$/.exec(period);
  const n = days ? Math.min(366, Math.max(1, Number(days[1]))) : 365;
  return { from: daysBefore(today, n - 1), to: today };
}

/** Days in [from, to]. */
export function periodDays(from: string, to: string): number {
  let n = 0;
  for (let d = from; d <= to && n < 1000; d = nextDay(d)) n++;
  return n;
}

export function defaultBucket(from: string, to: string): TrendBucket {
  const days = periodDays(from, to);
  return days <= 31 ? 'day' : days <= 120 ? 'week' : 'month';
}

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | null =>
  list.find((x) => x === value) ?? null;

export function readPlace(params: URLSearchParams, now = new Date()): OverviewPlace {
  const period = params.get('period') || DEFAULT_PERIOD;
  const { from, to } = periodRange(period, now);
  const refresh = Number(params.get('refresh'));
  return {
    region: params.get('region'),
    grid: params.get('grid'),
    period,
    from,
    to,
    bucket: oneOf(TREND_BUCKETS, params.get('bucket')) ?? defaultBucket(from, to),
    wall: params.get('wall') === '1',
    refreshS: Number.isFinite(refresh) && refresh >= 2 ? refresh : WALL_REFRESH_S,
    cases: oneOf(OVERVIEW_MEASURES, params.get('cases')),
    count: oneOf(COUNT_KEYS, params.get('count')),
    category: params.get('category'),
    channel: params.get('channel'),
    department: params.get('department'),
  };
}

/** The address of a place: the current one with some keys changed (null removes a key). */
export function placePath(params: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  return overviewPath(next);
}

/** The keys that narrow a list; a new number's link starts without them. */
const LIST_KEYS = { cases: null, count: null, category: null, channel: null, department: null };

/** The link of a number: the list of the cases behind it, same region, grid and period. */
export function casesPath(
  params: URLSearchParams,
  measure: Measure,
  narrow: Partial<
    Record<'region' | 'grid' | 'category' | 'channel' | 'department' | 'period', string | null>
  > = {},
): string {
  return placePath(params, { ...LIST_KEYS, ...narrow, cases: measure, wall: null });
}

/** The link of a count of the indicators (GET /api/v1/indicators/cases). */
export function countPath(params: URLSearchParams, count: CountKey): string {
  return placePath(params, { ...LIST_KEYS, count, wall: null });
}
