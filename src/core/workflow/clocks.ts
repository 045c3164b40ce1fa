import { addDuration, advanceMs, measureMs } from '../calendar/deadlines.ts';
import type { WorkCalendar } from '../calendar/work-calendar.ts';
import type { LimitedStage, TimeLimit } from '../responsibility/entries.ts';
import type { Stage } from './stages.ts';

export type StageLimits = Record<LimitedStage, TimeLimit>;

/**
 * Limits for a case the responsibility list has not routed yet (no category, or not dispatched):
 * the same defaults the demo province publishes (GB/T 30428 practice).
 */
export const DEFAULT_LIMITS: StageLimits = {
  registration: { amount: 2, unit: 'work_hours' },
  dispatch: { amount: 1, unit: 'work_hours' },
  handling: { amount: 5, unit: 'work_days' },
  verification: { amount: 1, unit: 'work_days' },
};

/** Which time limit runs in each stage; null where no clock runs (final stages, 挂账). */
export const CLOCK_OF: Record<Stage, LimitedStage | null> = {
  reported: 'registration',
  verifying: 'registration',
  registered: 'dispatch',
  arbitration: 'dispatch',
  dispatched: 'handling',
  handling: 'handling',
  awaiting_verification: 'verification',
  verified: 'verification',
  closed: null,
  closed_unfixed: null,
  parked: null,
  voided: null,
  merged: null,
};

export interface StageClockFields {
  stage_started_at: string;
  stage_deadline: string | null;
  next_check_at: string | null;
  notices_sent: number;
  clock_paused_ms: number;
}

/** The 50 % point between a stage's start and its deadline, counted in the limit's own clock. */
export function halfway(calendar: WorkCalendar, start: Date, deadline: Date, limit: TimeLimit): Date {
  const span = measureMs(calendar, start.getTime(), deadline.getTime(), limit.unit);
  if (span <= 0) return deadline;
  return new Date(advanceMs(calendar, start.getTime(), Math.floor(span / 2), limit.unit));
}

/**
 * The clock fields of a stage entered at `now`. Handling keeps the deadline set at dispatch
 * (accepting, rework and resuming do not reset it); stages that share a clock with the stage they
 * come from (上报 → 核实, 待核查 → 核查通过) keep its deadline.
 */
export function enterStage(
  calendar: WorkCalendar,
  limits: StageLimits,
  now: Date,
  from: Stage,
  to: Stage,
  current: { stage_deadline: string | null; handling_deadline: string | null },
): StageClockFields {
  const clock = CLOCK_OF[to];
  const started = now.toISOString();
  if (!clock)
    return {
      stage_started_at: started,
      stage_deadline: null,
      next_check_at: null,
      notices_sent: 0,
      clock_paused_ms: 0,
    };
  const limit = limits[clock];
  let deadline: Date;
  if (clock === 'handling' && current.handling_deadline) deadline = new Date(current.handling_deadline);
  else if (CLOCK_OF[from] === clock && current.stage_deadline) deadline = new Date(current.stage_deadline);
  else deadline = addDuration(calendar, now, limit.amount, limit.unit);
  return {
    stage_started_at: started,
    stage_deadline: deadline.toISOString(),
    next_check_at: halfway(calendar, now, deadline, limit).toISOString(),
    notices_sent: 0,
    clock_paused_ms: 0,
  };
}

/**
 * A deadline frozen while parked, moved on by the time the clock stood still, in its own unit's
 * clock: for work units only the working time of the pause counts (a weekend costs nothing). A
 * deadline already passed when the case was parked stays where it was.
 */
export function shiftForPause(
  calendar: WorkCalendar,
  deadline: string | null,
  parkedAt: Date,
  resumedAt: Date,
  limit: TimeLimit,
): string | null {
  if (!deadline) return null;
  const due = new Date(deadline).getTime();
  if (due <= parkedAt.getTime()) return deadline;
  const remaining = measureMs(calendar, parkedAt.getTime(), due, limit.unit);
  return new Date(advanceMs(calendar, resumedAt.getTime(), remaining, limit.unit)).toISOString();
}
