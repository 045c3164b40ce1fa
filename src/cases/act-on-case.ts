import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { applyAction, type ApplyContext } from '../core/workflow/apply.ts';
import type { ActionInput } from '../core/workflow/case-snapshot.ts';
import { permits } from '../core/workflow/parties.ts';
import { TRANSITIONS } from '../core/workflow/transitions.ts';
import { attachToCase } from './attach-to-case.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import type { Store } from '../db/database.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { DialectTraits } from '../db/dialect.ts';
import type { LoadedRules } from '../responsibility/rules-cache.ts';
import { factsFromRow } from '../indicators/case-facts.ts';
import { appendCountDelta } from '../indicators/count-deltas.ts';
import type { CountFolder } from '../indicators/count-folder.ts';
import { findActorUnit, loadCase, toSnapshot } from './case-rows.ts';
import { resolveForCase, routeCase } from './dispatch-effects.ts';
import { checkOriginal, checkSummons } from './whistle.ts';
import { afterCaseActed } from '../followers/case-hooks.ts';
import { stepRows } from './step-rows.ts';

export interface WorkflowDeps {
  store: Pick<Store, 'db' | 'traits' | 'write'>;
  clock: Clock;
  /** The compiled responsibility lists (a RulesCache, or rules already loaded). */
  rules: { current(): Promise<LoadedRules> };
  /** How long after closure the reporter may reopen (default 7 days). */
  reopenWindowMs?: number;
  /** Told of the count deltas each step appends, so that they are folded in batches. */
  counts?: CountFolder | undefined;
}

export interface ActOnCaseInput extends ActionInput {
  expected_version: number;
}

/** What a step inside a caller's transaction needs: the transaction and rules already loaded. */
export interface StepDeps {
  tx: DbOrTx;
  traits: DialectTraits;
  clock: Clock;
  loaded: LoadedRules;
  reopenWindowMs?: number | undefined;
}

export interface StepDone {
  id: string;
  version: number;
  stage: string;
  /** The count deltas the step appended (for CountFolder.appended after the commit). */
  deltas: number;
}

/**
 * One workflow step inside the caller's transaction (docs/workflow.md): every check runs before the
 * first write, so a refused step writes nothing. Then the case row (version + 1, only if still at
 * the expected version), its event, its tasks, the count delta, claimed evidence and the mail hooks.
 * `payload` adds facts of the caller's to the event (the sweeper's unanswered whistles).
 */
export async function stepCase(
  deps: StepDeps,
  actor: Actor,
  caseId: string,
  input: ActOnCaseInput,
  payload?: Record<string, unknown>,
): Promise<StepDone> {
  const { tx, traits, loaded } = deps;
  const { row, tasks } = await loadCase(tx, traits, caseId, true);
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

  const now = deps.clock.now();
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
  const rows = stepRows(caseId, actor, outcome, row.last_event_hash, payload);

  // The version in the WHERE clause is what makes two racing handlers never both succeed, on
  // either store: the loser's UPDATE matches no row.
  const result = await tx
    .updateTable('cases')
    .set(rows.columns)
    .where('id', '=', caseId)
    .where('version', '=', input.expected_version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new DomainError('case.version_conflict', { expected: input.expected_version, actual: '?' });
  }
  // The indicator counts move with the case, in the same transaction.
  const deltas = await appendCountDelta(tx, factsFromRow(row), factsFromRow({ ...row, ...rows.columns }));
  await tx.insertInto('case_events').values(rows.event).execute();
  if (rows.inserts.length > 0) await tx.insertInto('case_tasks').values(rows.inserts).execute();
  for (const { id, set } of rows.updates) {
    await tx.updateTable('case_tasks').set(set).where('id', '=', id).execute();
  }
  // Evidence photos uploaded as attachments belong to the case from this step on.
  if (input.evidence?.length) {
    await attachToCase(tx, { caseId, refs: input.evidence, actor, at: now });
  }
  // Mail hook (docs/mail.md): followers, a merge's followers, staff notices; same transaction.
  await afterCaseActed(tx, { row, event: outcome.event, changes: outcome.changes, tasks: outcome.tasks });
  return { id: caseId, version: outcome.changes.version, stage: outcome.changes.stage, deltas };
}

/**
 * Performs one workflow step (docs/workflow.md) in one transaction through `store.write`, so that
 * on SQLite steps share group commits with intake and each other (decisions/0004): the case row
 * (version + 1), its event and its tasks change together or not at all. Refuses a stale
 * `expected_version` with `case.version_conflict`, a missing permission with `access.*`, and a step
 * the stage, the actor's part or the case's state does not allow with `case.invalid_transition`.
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
  const done = await store.write((tx) =>
    stepCase(
      { tx, traits: store.traits, clock, loaded, reopenWindowMs: deps.reopenWindowMs },
      actor,
      caseId,
      input,
    ),
  );
  deps.counts?.appended(done.deltas);
  return { id: done.id, version: done.version, stage: done.stage };
}
