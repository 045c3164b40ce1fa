import { addDuration, type DeadlineUnit } from '../core/calendar/deadlines.ts';
import type { WorkCalendar } from '../core/calendar/work-calendar.ts';
import type { Actor } from '../core/access/roles.ts';
import { applyAction, type ApplyContext } from '../core/workflow/apply.ts';
import type {
  ActionInput,
  CaseSnapshot,
  CaseTask,
  PendingExtension,
} from '../core/workflow/case-snapshot.ts';
import type { StageLimits } from '../core/workflow/clocks.ts';
import type { ActorUnit } from '../core/workflow/parties.ts';
import type { Stage } from '../core/workflow/stages.ts';
import type { CaseEventTable, CaseTable, CaseTaskTable } from '../db/schema-cases.ts';

/** A case row while it is simulated: the JSON columns still objects. */
export type SimRow = Omit<CaseTable, 'limits' | 'pending_extension'> & {
  limits: StageLimits | null;
  pending_extension: PendingExtension | null;
};
export type EventRow = Omit<CaseEventTable, 'id'>;
export type TaskRow = Omit<CaseTaskTable, 'id'>;

/** Thrown when the next step would happen after `until`: the case stays where it is. */
export class PastUntil extends Error {}

/** Actors whose user id starts with this are synthetic: their events name no user. */
export const SYNTHETIC_USER = 'demo:';

/**
 * One case driven through the pure workflow (applyAction) in memory, step by step, keeping the
 * row, events and tasks exactly as act-on-case.ts would have written them.
 */
export class CaseRun {
  readonly events: EventRow[] = [];
  readonly tasks: Array<CaseTask & { feedback: string | null; created_at: string }> = [];
  t: number;

  constructor(
    readonly row: SimRow,
    first: EventRow,
    private readonly calendar: WorkCalendar,
    private readonly until: number,
  ) {
    this.events.push(first);
    this.t = new Date(row.reported_at).getTime();
  }

  get stage(): Stage {
    return this.row.stage as Stage;
  }

  /** The instant `amount` of a unit's clock after the last step. */
  after(amount: number, unit: DeadlineUnit = 'work_hours'): number {
    return addDuration(this.calendar, new Date(this.t), amount, unit).getTime();
  }

  /** The instant itself when it lies in work time, else the start of the next work period. */
  atWork(ms: number): number {
    return this.calendar.instantAtWork(this.calendar.workBefore(ms), true);
  }

  snapshot(): CaseSnapshot {
    const r = this.row;
    return {
      id: r.id,
      stage: r.stage as Stage,
      stage_before_park: r.stage_before_park as Stage | null,
      version: r.version,
      region_code: r.region_code,
      reporter_user_id: r.reporter_user_id,
      owner_department_id: r.owner_department_id,
      limits: r.limits,
      return_count: r.return_count,
      rework_count: r.rework_count,
      extension_count: r.extension_count,
      escalation_level: r.escalation_level,
      stage_started_at: r.stage_started_at,
      stage_deadline: r.stage_deadline,
      handling_deadline: r.handling_deadline,
      paused_ms: r.paused_ms,
      clock_paused_ms: r.clock_paused_ms,
      parked_at: r.parked_at,
      pending_extension: r.pending_extension,
      registered_at: r.registered_at,
      closed_at: r.closed_at,
      rated_at: r.rated_at,
      tasks: this.tasks,
    };
  }

  /** Applies one action at `at` (never before the previous step); throws PastUntil beyond `until`. */
  step(
    at: number,
    who: { actor: Actor; unit: ActorUnit },
    input: ActionInput,
    extra: Pick<ApplyContext, 'routing' | 'limits'> = {},
  ): void {
    const when = Math.max(at, this.t + 60_000);
    if (when > this.until) throw new PastUntil();
    const now = new Date(when);
    const outcome = applyAction(this.snapshot(), who.actor, input, {
      now,
      calendar: this.calendar,
      unit: who.unit,
      ...extra,
    });
    Object.assign(this.row, outcome.changes);
    const { event } = outcome;
    for (const task of outcome.tasks) {
      if (task.kind === 'create') {
        const { kind: _kind, ...values } = task;
        this.tasks.push({
          ...values,
          id: this.tasks.length + 1,
          reported_in_at: null,
          done_at: null,
          feedback: null,
          created_at: event.at,
        });
      } else {
        const { kind: _kind, id, feedback, ...values } = task;
        const stored = this.tasks[id - 1]!;
        Object.assign(stored, values, feedback ? { feedback: JSON.stringify(feedback) } : {});
      }
    }
    const userId = who.actor.user_id.startsWith(SYNTHETIC_USER) ? null : who.actor.user_id;
    this.events.push({
      case_id: this.row.id,
      version: event.version,
      at: event.at,
      actor_user_id: userId,
      actor_username: who.actor.username,
      actor_role: event.actor_role,
      action: event.action,
      from_stage: event.from_stage,
      to_stage: event.to_stage,
      reason: event.reason,
      payload: JSON.stringify(event.payload),
    });
    this.t = when;
  }

  /** The rows to insert (JSON columns as text, task ids left to the database, in order). */
  rows(): { row: CaseTable; events: EventRow[]; tasks: TaskRow[] } {
    const { limits, pending_extension, ...rest } = this.row;
    return {
      row: {
        ...rest,
        limits: limits === null ? null : JSON.stringify(limits),
        pending_extension: pending_extension === null ? null : JSON.stringify(pending_extension),
      },
      events: this.events,
      tasks: this.tasks.map(({ id: _id, ...t }) => ({ ...t, case_id: this.row.id })),
    };
  }
}
