import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { DialectTraits } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { loadCase } from './case-rows.ts';
import { eventRow } from './step-rows.ts';

export interface CaseNote {
  /** Who wrote it: a staff account, or an outside system named by its key's label. */
  actor: { user_id: string | null; username: string; role: string };
  text: string;
  /** What else the timeline should keep (the outside system's update id and status …). */
  payload: Record<string, unknown>;
}

/**
 * Appends a `note` event to a case's timeline without changing its stage (an Open311 update with no workflow step, a whistle
 * the sweeper could not escalate): the case row moves to
 * the next version (events of a case are numbered without gaps, and a handler working from the
 * older version learns of the note by a version conflict). Call inside the caller's transaction.
 */
export async function appendCaseNote(
  deps: { tx: DbOrTx; traits: DialectTraits; clock: Clock },
  caseId: string,
  note: CaseNote,
): Promise<{ version: number; event_id: number }> {
  const { row } = await loadCase(deps.tx, deps.traits, caseId, true);
  const at = deps.clock.now().toISOString();
  const version = row.version + 1;
  const values = eventRow(
    caseId,
    note.actor,
    {
      version,
      at,
      action: 'note',
      actor_role: note.actor.role,
      from_stage: row.stage,
      to_stage: row.stage,
      reason: note.text,
      payload: note.payload,
    },
    row.last_event_hash,
  );
  const moved = await deps.tx
    .updateTable('cases')
    .set({ version, updated_at: at, last_event_hash: values.hash })
    .where('id', '=', caseId)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) {
    throw new DomainError('case.version_conflict', { expected: row.version, actual: '?' });
  }
  const event = await deps.tx
    .insertInto('case_events')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return { version, event_id: Number(event.id) };
}
