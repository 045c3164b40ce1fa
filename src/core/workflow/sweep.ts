import { advanceMs } from '../calendar/deadlines.ts';
import type { WorkCalendar } from '../calendar/work-calendar.ts';
import type { TimeLimit } from '../responsibility/entries.ts';
import { NOTICE_THRESHOLDS, stageUse, type NoticeThreshold } from './stage-time.ts';

const bit = (i: number) => 1 << i;

/** The command centre levels a case can climb to: its county (0), the city (1), the province (2). */
export const TOP_ESCALATION_LEVEL = 2;

export interface SweepInput {
  stage_started_at: string;
  stage_deadline: string;
  notices_sent: number;
  escalation_level: number;
  limit: TimeLimit;
  /** Time (in the limit's clock) the stage stood parked: not used, though it lies between start and now. */
  paused_ms?: number;
  now: Date;
  /** How long past the deadline (clock time) before the case goes up a level, and again after that. */
  overdueMs: number;
}

export interface SweepPlan {
  notices: NoticeThreshold[];
  notices_sent: number;
  escalate: boolean;
  /** When to look at the case again; null once nothing more can happen by the clock alone. */
  next_check_at: string | null;
}

/**
 * What the clock alone does to a stage at `now`: the notices it has earned and not yet had, whether
 * it is overdue long enough to go up to the next command centre, and when to look again. Pure and
 * idempotent: planning twice at the same instant gives the same plan.
 */
export function planSweep(calendar: WorkCalendar, input: SweepInput): SweepPlan {
  const start = new Date(input.stage_started_at).getTime();
  const deadline = new Date(input.stage_deadline).getTime();
  const now = input.now.getTime();
  // Resuming moved the deadline on by the time paused: neither the limit nor the time used count it.
  const paused = input.paused_ms ?? 0;
  const { span, used } = stageUse(calendar, input);
  const notices: NoticeThreshold[] = [];
  let sent = input.notices_sent;
  let next: number | null = null;
  NOTICE_THRESHOLDS.forEach((threshold, i) => {
    if (used >= span * threshold || now >= deadline) {
      if ((sent & bit(i)) === 0) {
        notices.push(threshold);
        sent |= bit(i);
      }
    } else {
      const at =
        threshold === 1
          ? deadline
          : // A threshold still to come lies after every pause so far.
            advanceMs(calendar, start, Math.ceil(span * threshold) + paused, input.limit.unit);
      next ??= at;
    }
  });
  let escalate = false;
  if (next === null && input.escalation_level < TOP_ESCALATION_LEVEL) {
    // Each level gets one overdue period before the case climbs to the next.
    const due = deadline + input.overdueMs * (input.escalation_level + 1);
    if (now >= due) {
      escalate = true;
      next =
        input.escalation_level + 1 < TOP_ESCALATION_LEVEL
          ? deadline + input.overdueMs * (input.escalation_level + 2)
          : null;
    } else next = due;
  }
  return {
    notices,
    notices_sent: sent,
    escalate,
    next_check_at: next === null ? null : new Date(next).toISOString(),
  };
}
