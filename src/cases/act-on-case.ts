import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { applyAction, type ApplyContext } from '../core/workflow/apply.ts';
import type { ActionInput, CaseChanges, Outcome } from '../core/workflow/case-snapshot.ts';
import { permits } from '../core/workflow/parties.ts';
import { TRANSITIONS } from '../core/workflow/transitions.ts';
import { attachToCase } from '../attachments/attach-to-case.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import type { Store } from '../db/database.ts';
import type { DbOrTx } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import type { RulesCache } from '../responsibility/rules-cache.ts';
import { factsFromRow } from '../indicators/case-facts.ts';
import { appendCountDelta } from '../indicators/count-deltas.ts';
import type { CountFolder } from '../indicators/count-folder.ts';
import { findActorUnit, loadCase, toSnapshot, type CaseRow } from './case-rows.ts';
import { resolveForCase, routeCase } from './dispatch-effects.ts';
import { checkOriginal, checkSummons } from './whistle.ts';
import { afterCaseActed } from '../followers/case-hooks.ts';

export interface WorkflowDeps {
  store: Pick<Store, 'db' | 'traits'>;
  clock: Clock;
  rules: RulesCache;
  /** How long after closure the reporter may reopen (default 7 days). */
  reopenWindowMs?: number;
  /** Told of the count deltas each step appends, so that they are folded in batches. */
  counts?: CountFolder | undefined;
}

export interface ActOnCaseInput extends ActionInput {
  expected_version: number;
}

function columns(changes: CaseChanges) {
  const { limits, pending_extension, ...rest } = changes;
  return {
    ...rest,
    ...(limits !== undefined ? { limits: limits === null ? null : JSON.stringify(limits) } : {}),
    ...(pending_extension !== undefined
      ? { pending_extension: pending_extension === null ? null : JSON.stringify(pending_extension) }
      : {}),
  };
}

/** Writes the step; returns the count deltas it appended. */
async function write(
  tx: DbOrTx,
  row: CaseRow,
  expected: number,
  actor: Actor,
  outcome: Outcome,
): Promise<number> {
  const caseId = row.id;
  // The version in the WHERE clause is what makes two racing handlers never both succeed, on
  // either store: the loser's UPDATE matches no row.
  const result = await tx
    .updateTable('cases')
    .set(columns(outcome.changes))
    .where('id', '=', caseId)
    .where('version', '=', expected)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new DomainError('case.version_conflict', { expected, actual: '?' });
  }
  // The indicator counts move with the case, in the same transaction.
  const deltas = await appendCountDelta(
    tx,
    factsFromRow(row),
    factsFromRow({ ...row, ...columns(outcome.changes) }),
  );
  const { event } = outcome;
  await tx
    .insertInto('case_events')
    .values({
      case_id: caseId,
      version: event.version,
      at: event.at,
      actor_user_id: actor.user_id,
      actor_username: actor.username,
      actor_role: event.actor_role,
      action: event.action,
      from_stage: event.from_stage,
      to_stage: event.to_stage,
      reason: event.reason,
      payload: JSON.stringify(event.payload),
    })
    .execute();
  for (const task of outcome.tasks) {
    if (task.kind === 'create') {
      const { kind: _kind, ...values } = task;
      await tx
        .insertInto('case_tasks')
        .values({ ...values, case_id: caseId, created_at: event.at })
        .execute();
    } else {
      const { kind: _kind, id, feedback, ...values } = task;
      await tx
        .updateTable('case_tasks')
        .set({ ...values, ...(feedback ? { feedback: JSON.stringify(feedback) } : {}) })
        .where('id', '=', id)
        .execute();
    }
  }
  return deltas;
}

/**
 * Performs one workflow step (docs/workflow.md) in one transaction: the case row (version + 1),
 * its event and its tasks change together or not at all. Refuses a stale `expected_version`
 * with `case.version_conflict`, a missing permission with `access.*`, and a step the stage or the
 * actor's part does not allow with `case.invalid_transition`.
 */
export async function actOnCase(
  deps: WorkflowDeps,
  actor: Actor,
  caseId: string,
  input: ActOnCaseInput,
): Promise<{ id: string; version: number; stage: string }> {
  const { store, clock } = deps;
  // The compiled rules are read before the transaction: on SQLite it holds the only connection.
  const loaded = await deps.rules.current();
  let deltas = 0;
  const done = await inTransaction(store.db, async (tx) => {
    const { row, tasks } = await loadCase(tx, store.traits, caseId, true);
    if (row.version !== input.expected_version) {
      throw new DomainError('case.version_conflict', {
        expected: input.expected_version,
        actual: row.version,
      });
    }
    const snapshot = toSnapshot(row, tasks);
    const unit = await findActorUnit(tx, actor);
    const decision = permits(snapshot, actor, unit, input.action);
    if (!decision.allowed) throw new DomainError(decision.reason, decision.details);

    const now = clock.now();
    const ctx: ApplyContext = {
      now,
      calendar: (await getCalendar(tx, row.region_code)).calendar,
      unit,
      ...(deps.reopenWindowMs !== undefined ? { reopenWindowMs: deps.reopenWindowMs } : {}),
    };
    const legal = (TRANSITIONS[input.action].from as readonly string[]).includes(row.stage);
    if (legal && (input.action === 'dispatch' || input.action === 'arbitrate')) {
      if (input.action === 'arbitrate' && !input.department_id) {
        throw new DomainError('case.field_required', { action: input.action, field: 'department_id' });
      }
      ctx.routing = await routeCase({ db: tx, loaded }, row, actor, input);
    }
    if (legal && input.action === 'register' && row.limits === null) {
      const resolution = await resolveForCase(tx, loaded, row);
      if (resolution) ctx.limits = resolution.entry.limits;
    }
    if (legal && input.action === 'whistle' && input.departments?.length) {
      await checkSummons(tx, actor, input.departments);
    }
    if (legal && input.action === 'merge' && input.merged_into) {
      await checkOriginal(tx, caseId, input.merged_into);
    }
    const outcome = applyAction(snapshot, actor, input, ctx);
    deltas = await write(tx, row, input.expected_version, actor, outcome);
    // Evidence photos uploaded as attachments belong to the case from this step on.
    if (input.evidence?.length) {
      await attachToCase(tx, { caseId, refs: input.evidence, actor, at: now });
    }
    // Mail hook (docs/mail.md): followers, a merge's followers, staff notices; same transaction.
    await afterCaseActed(tx, { row, event: outcome.event, changes: outcome.changes, tasks: outcome.tasks });
    return { id: caseId, version: outcome.changes.version, stage: outcome.changes.stage };
  });
  deps.counts?.appended(deltas);
  return done;
}
