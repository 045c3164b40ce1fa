import { addDuration, type DeadlineUnit } from '../core/calendar/deadlines.ts';
import type { WorkCalendar } from '../core/calendar/work-calendar.ts';
import type { Actor } from '../core/access/roles.ts';
import { applyAction, type ApplyContext } from '../core/workflow/apply.ts';
import type { ActionInput, CaseSnapshot } from '../core/workflow/case-snapshot.ts';
import type { StageLimits } from '../core/workflow/clocks.ts';
import type { ActorUnit } from '../core/workflow/case-snapshot.ts';
import { availableActions } from '../core/workflow/parties.ts';
import type { Stage } from '../core/workflow/stages.ts';
import type { ActionName } from '../core/workflow/transitions.ts';
import { readJson } from '../db/dialect.ts';
import type { CaseTable } from '../db/schema-cases.ts';
import { toSnapshot, type TaskRow } from '../cases/case-rows.ts';
import { stepRows, type NewEventRow, type NewTaskRow } from '../cases/step-rows.ts';

export type EventRow = NewEventRow;
export type { NewTaskRow };

/** Thrown when the next step would happen after `until`: the case stays where it is. */
export class PastUntil extends Error {}

/** Actors whose user id starts with this are synthetic: their events name no user. */
export const SYNTHETIC_USER = 'demo:';

export type Who = { actor: Actor; unit: ActorUnit };

/**
 * One case driven through the pure workflow (applyAction) in memory, step by step. Its row, events
 * and tasks are the rows the live workflow writes (stepRows of src/cases/step-rows.ts, the same
 * snapshot reader toSnapshot), kept here and inserted in bulk at the end.
 */
export class CaseRun {
  readonly events: EventRow[] = [];
  readonly tasks: TaskRow[] = [];
  t: number;
  private cached: CaseSnapshot | null = null;

  constructor(
    readonly row: CaseTable,
    first: EventRow,
    private readonly calendar: WorkCalendar,
    private readonly until: number,
  ) {
    this.events.push(first);
    // The chain starts at the report (src/core/audit): each step moves the head to its event.
    this.row.last_event_hash = first.hash;
    this.t = new Date(row.reported_at).getTime();
  }

  get stage(): Stage {
    return this.row.stage as Stage;
  }

  get limits(): StageLimits | null {
    return this.row.limits === null ? null : readJson<StageLimits>(this.row.limits);
  }

  /** The action of the latest event. */
  get lastAction(): string {
    return this.events.at(-1)!.action;
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
    return (this.cached ??= toSnapshot(this.row, this.tasks));
  }

  /** The actions the workflow allows this actor on the case now (the API's allowed_actions), at `at`. */
  allowed(who: Who, at = this.t): ActionName[] {
    return availableActions(this.snapshot(), who.actor, who.unit, { now: new Date(at) });
  }

  /** Applies one action at `at` (never before the previous step); throws PastUntil beyond `until`. */
  step(at: number, who: Who, input: ActionInput, extra: Pick<ApplyContext, 'routing' | 'limits'> = {}): void {
    const when = Math.max(at, this.t + 60_000);
    if (when > this.until) throw new PastUntil();
    const outcome = applyAction(this.snapshot(), who.actor, input, {
      now: new Date(when),
      calendar: this.calendar,
      unit: who.unit,
      ...extra,
    });
    const synthetic = who.actor.user_id.startsWith(SYNTHETIC_USER);
    const rows = stepRows(
      this.row.id,
      { user_id: synthetic ? null : who.actor.user_id, username: who.actor.username },
      outcome,
      this.row.last_event_hash,
    );
    Object.assign(this.row, rows.columns);
    this.events.push(rows.event);
    for (const inserted of rows.inserts) this.tasks.push({ ...inserted, id: this.tasks.length + 1 });
    for (const { id, set } of rows.updates) Object.assign(this.tasks[id - 1]!, set);
    this.cached = null;
    this.t = when;
  }

  /** The rows to insert (task ids left to the database, in order). */
  rows(): { row: CaseTable; events: EventRow[]; tasks: NewTaskRow[] } {
    return {
      row: this.row,
      events: this.events,
      tasks: this.tasks.map(({ id: _id, ...t }) => t),
    };
  }
}
