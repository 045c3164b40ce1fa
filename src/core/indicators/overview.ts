/**
 * The command-centre overview (指挥中心总览): what a centre watches besides the rates — the cases of
 * a period still open, overdue, escalated or supervised, the trend, the category and channel mix
 * and each department's on-time and return rates. Pure rules over case facts; src/indicators/
 * loads the facts and docs/indicators.md (Overview) states every definition in words.
 *
 * The cohort is the indicators' own: the cases reported in the period (China-time days), counted
 * by their state now. So a number of the overview and a number of the indicators over the same
 * filters are about the same cases, and the drill-down lists exactly them.
 */
import { CLOCK_OF } from '../workflow/clocks.ts';
import { FINAL_STAGES, type Stage } from '../workflow/stages.ts';
import { countCase, type CaseFacts, type CountKey } from './indicators.ts';
import { chinaDay, monthOf, nextDay, nextMonth } from './period.ts';

/** What the overview reads of a case besides its indicator facts. */
export interface OverviewFacts extends CaseFacts {
  stage_deadline: string | null;
  escalation_level: number;
  /** A command centre supervised it (督办): a `supervise` event exists. */
  supervised: boolean;
  category_code: string | null;
  channel: string;
  /** The departments it was dispatched to (派遣, 仲裁改派), from its events. */
  dispatched_to: readonly string[];
  /** The departments that returned it (回退), from its events. */
  returned_by: readonly string[];
}

/**
 * Measures of a case's state now, beside the base counts of the indicators:
 * - `open` 未结: not in a final stage (closed, closed unfixed, voided, merged);
 * - `overdue` 超期: its running clock is past its deadline (the worklists' `overdue=true`); parked
 *   and final stages have no running clock and are never overdue;
 * - `escalated` 已升级: it went up to a higher command centre at least once (`escalation_level > 0`);
 * - `supervised` 已督办: a command centre supervised it;
 * - `dispatched_to` 派遣过: dispatched (or re-dispatched by arbitration) at least once;
 * - `returned` 被退回: returned by a department at least once (回退).
 *
 * With a department, `dispatched_to` and `returned` are about that department (dispatched to it,
 * returned by it), whoever owns the case now; every other measure, like the indicators, takes the
 * department as the case's current owner. A return is made by the department the case was
 * dispatched to, so the returned cases of a department are always among those dispatched to it.
 */
export const STATE_MEASURES = [
  'open',
  'overdue',
  'escalated',
  'supervised',
  'dispatched_to',
  'returned',
] as const;
export type StateMeasure = (typeof STATE_MEASURES)[number];

/** The measures whose department is one the case passed through, not its current owner. */
export const PASSED_THROUGH: readonly OverviewMeasure[] = ['dispatched_to', 'returned'];

/** Everything a number of the overview can count: a state, or a base count of the indicators. */
export const OVERVIEW_MEASURES = [
  ...STATE_MEASURES,
  'cases',
  'closed',
  'should_handle',
  'handled_on_time',
] as const;
export type OverviewMeasure = (typeof OVERVIEW_MEASURES)[number];

export type StateCounts = Record<StateMeasure, number>;

const CLOCKED: readonly string[] = (Object.keys(CLOCK_OF) as Stage[]).filter((s) => CLOCK_OF[s] !== null);
const FINAL: readonly string[] = FINAL_STAGES;

/** The state measures of one case at `now`, each 0 or 1. */
export function stateOf(c: OverviewFacts, now: Date): StateCounts {
  const b = (v: boolean): number => (v ? 1 : 0);
  return {
    open: b(!FINAL.includes(c.stage)),
    overdue: b(
      CLOCKED.includes(c.stage) && c.stage_deadline !== null && Date.parse(c.stage_deadline) < now.getTime(),
    ),
    escalated: b(c.escalation_level > 0),
    supervised: b(c.supervised),
    dispatched_to: b(c.dispatched_to.length > 0),
    returned: b(c.returned_by.length > 0),
  };
}

/**
 * Whether one case counts in a measure at `now`: the one predicate the numbers and the lists share.
 * `department` only matters for PASSED_THROUGH measures (the owner filter is the query's).
 */
export function countsIn(
  c: OverviewFacts,
  measure: OverviewMeasure,
  now: Date,
  department?: string,
): boolean {
  switch (measure) {
    case 'dispatched_to':
      return department === undefined ? c.dispatched_to.length > 0 : c.dispatched_to.includes(department);
    case 'returned':
      return department === undefined ? c.returned_by.length > 0 : c.returned_by.includes(department);
    case 'open':
    case 'overdue':
    case 'escalated':
    case 'supervised':
      return stateOf(c, now)[measure] > 0;
    case 'cases':
    case 'closed':
    case 'should_handle':
    case 'handled_on_time':
      return countCase(c)[measure satisfies CountKey] > 0;
  }
}

export function zeroStateCounts(): StateCounts {
  return { open: 0, overdue: 0, escalated: 0, supervised: 0, dispatched_to: 0, returned: 0 };
}

/** The buckets of a trend: China-time days, weeks starting on Monday, calendar months. */
export const TREND_BUCKETS = ['day', 'week', 'month'] as const;
export type TrendBucket = (typeof TREND_BUCKETS)[number];

/** Above this many buckets a trend is refused: a year by day (366) is the most a chart shows. */
export const MAX_TREND_BUCKETS = 400;

/** The first day of the bucket `day` falls in (a Monday for weeks, the 1st for months). */
export function bucketStart(day: string, bucket: TrendBucket): string {
  switch (bucket) {
    case 'day':
      return day;
    case 'week': {
      const d = new Date(`${day}T00:00:00Z`);
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      return new Date(d.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
    }
    case 'month':
      return monthOf(day);
  }
}

function nextBucket(start: string, bucket: TrendBucket): string {
  switch (bucket) {
    case 'day':
      return nextDay(start);
    case 'week':
      return new Date(Date.parse(`${start}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    case 'month':
      return nextMonth(start);
  }
}

/**
 * The buckets covering [from, to], each clipped to the period (a week that starts before `from`
 * begins at `from`), so that the buckets' counts add up to the period's: `first` and `last` are
 * inclusive days and can be used as the period of a drill-down.
 */
export function trendBuckets(
  from: string,
  to: string,
  bucket: TrendBucket,
): Array<{ start: string; first: string; last: string }> {
  const out: Array<{ start: string; first: string; last: string }> = [];
  for (let start = bucketStart(from, bucket); start <= to; start = nextBucket(start, bucket)) {
    const after = nextBucket(start, bucket);
    const last = new Date(Date.parse(`${after}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    out.push({ start, first: start < from ? from : start, last: last > to ? to : last });
  }
  return out;
}

/** The bucket a case falls in: by the China-time day it was reported on, like the indicators. */
export function bucketOfCase(c: Pick<CaseFacts, 'reported_at'>, bucket: TrendBucket): string {
  return bucketStart(chinaDay(c.reported_at), bucket);
}

/**
 * The category mix groups by the 二级 category (大类 → 小类: `BJ01` 公用设施 of `BJ0101` 上水井盖): the
 * first two segments of the code (codes nest by two characters); a one-segment code stays itself.
 */
export function categoryGroup(code: string | null): string | null {
  return code === null ? null : code.slice(0, 4);
}
