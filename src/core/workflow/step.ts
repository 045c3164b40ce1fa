import type { WorkCalendar } from '../calendar/work-calendar.ts';
import type { Actor, Role } from '../access/roles.ts';
import type {
  ActionInput,
  ActorUnit,
  CaseChanges,
  CaseSnapshot,
  CaseTask,
  TaskChange,
} from './case-snapshot.ts';
import type { StageLimits } from './clocks.ts';
import type { Stage } from './stages.ts';
import type { Party } from './transitions.ts';

/** The owner a dispatch or an arbitration settled on, found by the use case. */
export interface Routing {
  department_id: string;
  /** The dispatcher chose another unit than the list names (counted: dispatch accuracy). */
  overridden: boolean;
  list: { id: string; version: number } | null;
  entry_id: string | null;
  limits: StageLimits | null;
  co_handlers: readonly string[];
}

export interface ApplyContext {
  now: Date;
  calendar: WorkCalendar;
  /** The unit the actor acts for (see parties.ts). */
  unit: ActorUnit;
  /** How long after closure the reporter may reopen; default 7 days. */
  reopenWindowMs?: number;
  routing?: Routing;
  /** Limits found for a case not yet routed (its category's entry), used when it has none. */
  limits?: StageLimits;
}

/**
 * One step being worked out by applyAction: what it read (the snapshot, the input, the context)
 * and what the action's effect fills in (the changes, tasks and event payload, and the stage it
 * leads to when that differs from the transition table's).
 */
export interface Step {
  readonly snapshot: CaseSnapshot;
  readonly actor: Actor;
  readonly input: ActionInput;
  readonly ctx: ApplyContext;
  /** The party the actor plays in this step and the role they play it in. */
  readonly acting: { party: Party; role: Role };
  readonly from: Stage;
  to: Stage;
  /** ctx.now as ISO 8601. */
  readonly now: string;
  /** The case's limits, else the routing's, the context's, or the defaults. */
  readonly limits: StageLimits;
  readonly changes: Partial<CaseChanges>;
  readonly tasks: TaskChange[];
  readonly payload: Record<string, unknown>;
  /** The case's tasks not done yet. */
  readonly openTasks: readonly CaseTask[];
  /** The owner's latest lead task, if any. */
  readonly lead: CaseTask | undefined;
}
