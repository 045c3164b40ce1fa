import { decide } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { availableActions, caseResource } from '../core/workflow/parties.ts';
import { readJson, readTimestamp, type DialectTraits } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { readEntry } from '../responsibility/list-rows.ts';
import type { Keyring } from '../db/keyring.ts';
import { readReporters } from '../personal/reporter-data.ts';
import { findActorUnit, loadCase, reporterView, toSnapshot } from './case-rows.ts';

const ts = (v: unknown) => (v === null || v === undefined ? null : readTimestamp(v));

/**
 * The case, when the actor may read it (case.read, or they reported it). Otherwise exactly what a
 * missing case answers, `case.not_found` with the id asked for: a refusal that named the reason
 * (out of scope, another department's) would tell a stranger that the case exists, and where.
 */
async function loadReadableCase(deps: { db: DbOrTx; traits: DialectTraits }, actor: Actor, id: string) {
  const { row, tasks } = await loadCase(deps.db, deps.traits, id);
  const snapshot = toSnapshot(row, tasks);
  const unit = await findActorUnit(deps.db, actor);
  const resource = caseResource(snapshot, unit);
  const isReporter = row.reporter_user_id !== null && row.reporter_user_id === actor.user_id;
  if (!isReporter && !decide(actor, 'case.read', resource).allowed) {
    throw new DomainError('case.not_found', { id });
  }
  return { row, snapshot, unit, resource, isReporter };
}

/**
 * Throws `case.not_found` unless the actor may read the case, as for a case that does not exist:
 * a step on a case is checked with it first, so that neither its version nor the reason of a
 * refusal reaches someone who may not read it.
 */
export async function assertCaseReadable(
  deps: { db: DbOrTx; traits: DialectTraits },
  actor: Actor,
  id: string,
): Promise<void> {
  await loadReadableCase(deps, actor, id);
}

/**
 * A case as the actor may see it: its stage, deadlines, tasks, timeline (its events) and the
 * actions the actor may take now (from the transition table and the permissions, so that the
 * console never re-implements them). The reporter's personal data is masked unless the actor may
 * read it. Residents see only the cases they reported.
 */
export async function getCase(
  deps: { db: DbOrTx; traits: DialectTraits; keyring: Keyring; clock?: Clock },
  actor: Actor,
  id: string,
) {
  const { row, snapshot, unit, resource, isReporter } = await loadReadableCase(deps, actor, id);
  const personal = isReporter || decide(actor, 'case.read_personal_data', resource).allowed;
  const reporter = (await readReporters(deps.db, deps.keyring, [id])).get(id);
  const events = await deps.db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', id)
    .orderBy('version')
    .execute();
  const list = row.responsibility_list_id;
  const entryId = row.responsibility_entry_id;
  const entry = list && entryId ? await readEntry(deps.db, list, entryId) : null;
  const merged = await deps.db
    .selectFrom('cases')
    .select(['id', 'reference', 'title'])
    .where('merged_into', '=', id)
    .orderBy('reported_at')
    .execute();
  return {
    id: row.id,
    reference: row.reference,
    status: snapshot.stage,
    stage_before_park: snapshot.stage_before_park,
    version: row.version,
    channel: row.channel,
    category: row.category_code,
    title: row.title,
    description: row.description,
    address: row.address,
    region: row.region_code,
    grid: row.grid_code,
    reporter: reporterView(reporter, row.anonymous, personal),
    owner_department_id: row.owner_department_id,
    merged_into: row.merged_into,
    merged_from: merged,
    location: row.lon === null || row.lat === null ? null : { lon: Number(row.lon), lat: Number(row.lat) },
    responsibility: {
      list_id: row.responsibility_list_id,
      version: row.responsibility_version,
      entry_id: row.responsibility_entry_id,
      entry,
      dispatch_overridden: Boolean(row.dispatch_overridden),
    },
    counts: { returns: row.return_count, rework: row.rework_count, extensions: row.extension_count },
    escalation_level: row.escalation_level,
    deadlines: {
      stage_started_at: snapshot.stage_started_at,
      stage_deadline: snapshot.stage_deadline,
      handling_deadline: snapshot.handling_deadline,
      next_check_at: ts(row.next_check_at),
      paused_ms: snapshot.paused_ms,
    },
    pending_extension: snapshot.pending_extension,
    rating:
      row.rating === null
        ? null
        : { score: row.rating, fixed: Boolean(row.rated_fixed), at: ts(row.rated_at) },
    reported_at: readTimestamp(row.reported_at),
    closed_at: snapshot.closed_at,
    assignees: snapshot.tasks,
    timeline: events.map((e) => ({
      version: e.version,
      at: readTimestamp(e.at),
      actor: e.actor_username,
      role: e.actor_role,
      action: e.action,
      from: e.from_stage,
      to: e.to_stage,
      reason: e.reason,
      payload: readJson<Record<string, unknown>>(e.payload),
    })),
    allowed_actions: availableActions(snapshot, actor, unit, deps.clock ? { now: deps.clock.now() } : {}),
  };
}
