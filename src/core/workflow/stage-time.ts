import { measureMs } from '../calendar/deadlines.ts';
import type { WorkCalendar } from '../calendar/work-calendar.ts';
import type { TimeLimit } from '../responsibility/entries.ts';

/** Notices at half, four fifths and all of a stage's limit; each sent once (one bit each, sweep.ts). */
export const NOTICE_THRESHOLDS = [0.5, 0.8, 1] as const;
export type NoticeThreshold = (typeof NOTICE_THRESHOLDS)[number];

const MINUTE_MS = 60_000;

/** A running stage clock as the case row holds it. */
export interface StageClock {
  stage_started_at: string;
  stage_deadline: string;
  limit: TimeLimit;
  /** Time (in the limit's clock) the stage stood parked: it lies between start and now but is not used. */
  paused_ms?: number;
  now: Date;
}

/**
 * How much of a stage's limit is used at `now`, in the limit's own clock (working time for work
 * hours and days): `span` the whole limit, `used` what has gone. Pauses count in neither.
 */
export function stageUse(calendar: WorkCalendar, clock: StageClock): { span: number; used: number } {
  const start = new Date(clock.stage_started_at).getTime();
  const deadline = new Date(clock.stage_deadline).getTime();
  const paused = clock.paused_ms ?? 0;
  const span = Math.max(1, measureMs(calendar, start, deadline, clock.limit.unit) - paused);
  const used = measureMs(calendar, start, Math.max(start, clock.now.getTime()), clock.limit.unit) - paused;
  return { span, used };
}

/**
 * The worklists' traffic light, by the notice thresholds: green before half the limit, yellow from
 * half (the first notice), red from four fifths (the last warning) and after the deadline.
 */
export type DeadlineLight = 'green' | 'yellow' | 'red';

export interface StageTime {
  light: DeadlineLight;
  /** Percent of the limit used, rounded down; over 100 once the deadline has passed. */
  used_percent: number;
  /**
   * Time left in the limit's clock (working time for work units), in whole minutes; negative:
   * overdue by as much. Minutes, so that a list polled every few seconds stays the same (its ETag
   * too) until something a reader could see has changed.
   */
  remaining_ms: number;
}

export function stageTime(calendar: WorkCalendar, clock: StageClock): StageTime {
  const now = clock.now.getTime();
  const deadline = new Date(clock.stage_deadline).getTime();
  const { span, used } = stageUse(calendar, clock);
  const remaining =
    now >= deadline ? -measureMs(calendar, deadline, now, clock.limit.unit) : Math.max(0, span - used);
  const ratio = now >= deadline ? Math.max(1, used / span) : used / span;
  const [half, late] = NOTICE_THRESHOLDS;
  return {
    light: ratio >= late ? 'red' : ratio >= half ? 'yellow' : 'green',
    used_percent: Math.max(0, Math.floor(ratio * 100)),
    remaining_ms: Math.sign(remaining) * Math.floor(Math.abs(remaining) / MINUTE_MS) * MINUTE_MS,
  };
}
