import type { Updateable } from 'kysely';
import { hashCaseEvent } from '../core/audit/hashes.ts';
import type { CaseChanges, Outcome } from '../core/workflow/case-snapshot.ts';
import type { CaseEventTable, CaseTable, CaseTaskTable } from '../db/schema-cases.ts';
import { sha256 } from '../db/sha256.ts';

export type NewEventRow = Omit<CaseEventTable, 'id'>;
export type NewTaskRow = Omit<CaseTaskTable, 'id'>;
export type CaseColumns = Updateable<CaseTable>;
export type TaskColumns = Pick<
  Updateable<CaseTaskTable>,
  'status' | 'reported_in_at' | 'done_at' | 'feedback'
>;

/** Who a step's event names: a user (null for a system or a synthetic actor) and the name shown. */
export interface EventActor {
  user_id: string | null;
  username: string;
}

/** What an event says happened; the actor's role is the one they acted in. */
export interface EventFacts {
  version: number;
  at: string;
  action: string;
  actor_role: string;
  from_stage: string | null;
  to_stage: string;
  reason: string | null;
  payload: Record<string, unknown>;
}

/**
 * The one builder of case_events rows: the report (case-rows.ts), every workflow step (stepRows)
 * and timeline notes (append-case-note.ts) write what it returns. `prev` is the hash of the case's
 * event before (its row's last_event_hash; null for the report): the row carries it and its own
 * hash, taken over the payload as it will read back, so that the chain verifies on either store.
 */
export function eventRow(
  caseId: string,
  actor: EventActor,
  facts: EventFacts,
  prev: string | null,
): NewEventRow {
  const payload = JSON.stringify(facts.payload);
  const row: NewEventRow = {
    case_id: caseId,
    version: facts.version,
    at: facts.at,
    actor_user_id: actor.user_id,
    actor_username: actor.username,
    actor_role: facts.actor_role,
    action: facts.action,
    from_stage: facts.from_stage,
    to_stage: facts.to_stage,
    reason: facts.reason,
    payload,
    prev_hash: prev,
    hash: null,
  };
  row.hash = hashCaseEvent(sha256, prev, { ...row, payload: JSON.parse(payload) });
  return row;
}

/** What one workflow step writes: the case columns, its event row, and its task rows. */
export interface StepRows {
  columns: CaseColumns;
  event: NewEventRow;
  inserts: NewTaskRow[];
  updates: Array<{ id: number; set: TaskColumns }>;
}

/** The case columns of a step's changes; the JSON columns as text. */
export function caseColumns(changes: CaseChanges): CaseColumns {
  const columns: CaseColumns = {};
  for (const key of Object.keys(changes) as Array<keyof CaseChanges>) {
    const value = changes[key];
    if (key === 'limits' || key === 'pending_extension') {
      columns[key] = value === null ? null : JSON.stringify(value);
    } else {
      (columns as Record<string, unknown>)[key] = value;
    }
  }
  return columns;
}

/**
 * The rows of one workflow step (an Outcome of applyAction), the same for every writer: the live
 * workflow (act-on-case.ts) writes them to the store, the demo history keeps them in memory and
 * inserts them in bulk. `prev` is the case row's last_event_hash, which the step moves to its own
 * event's. `payload` adds facts the caller knows beside the rules (the sweeper names the whistled
 * departments that did not report in).
 */
export function stepRows(
  caseId: string,
  actor: EventActor,
  outcome: Outcome,
  prev: string | null,
  payload?: Record<string, unknown>,
): StepRows {
  const { event } = outcome;
  const facts = payload ? { ...event, payload: { ...event.payload, ...payload } } : event;
  const row = eventRow(caseId, actor, facts, prev);
  const rows: StepRows = {
    columns: { ...caseColumns(outcome.changes), last_event_hash: row.hash },
    event: row,
    inserts: [],
    updates: [],
  };
  for (const task of outcome.tasks) {
    if (task.kind === 'create') {
      rows.inserts.push({
        case_id: caseId,
        department_id: task.department_id,
        role: task.role,
        status: task.status,
        report_in_deadline: task.report_in_deadline,
        deadline: task.deadline,
        reported_in_at: null,
        done_at: null,
        feedback: null,
        created_at: event.at,
      });
    } else {
      const set: TaskColumns = { status: task.status };
      if (task.reported_in_at !== undefined) set.reported_in_at = task.reported_in_at;
      if (task.done_at !== undefined) set.done_at = task.done_at;
      if (task.feedback) set.feedback = JSON.stringify(task.feedback);
      rows.updates.push({ id: task.id, set });
    }
  }
  return rows;
}
