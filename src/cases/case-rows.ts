import { maskName, maskPhone } from '../core/access/masking.ts';
import type { Selectable } from 'kysely';
import type { Actor } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import type { CaseSnapshot, CaseTask, PendingExtension } from '../core/workflow/case-snapshot.ts';
import type { StageLimits } from '../core/workflow/clocks.ts';
import type { ActorUnit } from '../core/workflow/case-snapshot.ts';
import type { Stage } from '../core/workflow/stages.ts';
import { NO_REPORTER, type Reporter } from '../personal/reporter-data.ts';
import { forUpdate, readJson, readTimestamp, type DialectTraits } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { CaseEventTable, CaseTable, CaseTaskTable } from '../db/schema-cases.ts';
import { eventRow } from './step-rows.ts';

export type CaseRow = Selectable<CaseTable>;
export type TaskRow = Selectable<CaseTaskTable>;

const ts = (v: unknown) => (v === null || v === undefined ? null : readTimestamp(v));

export function readTask(row: TaskRow): CaseTask {
  return {
    id: Number(row.id),
    department_id: row.department_id,
    role: row.role,
    status: row.status,
    report_in_deadline: ts(row.report_in_deadline),
    deadline: ts(row.deadline),
    reported_in_at: ts(row.reported_in_at),
    done_at: ts(row.done_at),
  };
}

/** The pure rules' view of a case row and its tasks. */
export function toSnapshot(row: CaseRow, tasks: readonly TaskRow[]): CaseSnapshot {
  return {
    id: row.id,
    stage: row.stage as Stage,
    stage_before_park: (row.stage_before_park as Stage | null) ?? null,
    version: row.version,
    region_code: row.region_code,
    reporter_user_id: row.reporter_user_id,
    owner_department_id: row.owner_department_id,
    limits: row.limits === null ? null : readJson<StageLimits>(row.limits),
    return_count: row.return_count,
    rework_count: row.rework_count,
    extension_count: row.extension_count,
    escalation_level: row.escalation_level,
    stage_started_at: readTimestamp(row.stage_started_at),
    stage_deadline: ts(row.stage_deadline),
    handling_deadline: ts(row.handling_deadline),
    paused_ms: Number(row.paused_ms),
    clock_paused_ms: Number(row.clock_paused_ms),
    parked_at: ts(row.parked_at),
    pending_extension:
      row.pending_extension === null ? null : readJson<PendingExtension>(row.pending_extension),
    registered_at: ts(row.registered_at),
    closed_at: ts(row.closed_at),
    rated_at: ts(row.rated_at),
    tasks: tasks.map(readTask),
  };
}

/** The case and its tasks; `lock` takes the row lock (FOR UPDATE on PostgreSQL) in a transaction. */
export async function loadCase(
  db: DbOrTx,
  traits: DialectTraits,
  id: string,
  lock = false,
): Promise<{ row: CaseRow; tasks: TaskRow[] }> {
  const query = db.selectFrom('cases').selectAll().where('id', '=', id);
  const row = await (lock ? forUpdate(traits, query) : query).executeTakeFirst();
  if (!row) throw new DomainError('case.not_found', { id });
  const tasks = await db
    .selectFrom('case_tasks')
    .selectAll()
    .where('case_id', '=', id)
    .orderBy('id')
    .execute();
  return { row, tasks };
}

/**
 * The unit an actor acts for: a department handler's department; for a township or community
 * handler, the township office or community committee of the region they work in.
 */
export async function findActorUnit(db: DbOrTx, actor: Actor): Promise<ActorUnit> {
  if (actor.department_id) return actor.department_id;
  const types = [
    ...(actor.roles.includes('township_handler') ? ['township_office'] : []),
    ...(actor.roles.includes('community_handler') ? ['community_committee'] : []),
  ];
  if (types.length === 0) return null;
  const unit = await db
    .selectFrom('departments')
    .select('id')
    .where('region_code', '=', actor.scope.code)
    .where('type', 'in', types)
    .executeTakeFirst();
  return unit?.id ?? null;
}

/**
 * The reporter as a reader may see them (their data opened from personal_data): masked unless
 * the reader may read personal data.
 */
export function reporterView(
  reporter: Reporter | undefined,
  anonymous: number,
  personal: boolean,
): { name: string | null; phone: string | null; anonymous: boolean } {
  const { name, phone } = reporter ?? NO_REPORTER;
  return {
    name: name && !personal ? maskName(name) : name,
    phone: phone && !personal ? maskPhone(phone) : phone,
    anonymous: Boolean(anonymous),
  };
}

/** The columns of a case just reported that every writer leaves at their starting values. */
export const NEW_CASE_ROW = {
  stage: 'reported',
  stage_before_park: null,
  version: 1,
  reporter_key_hash: null,
  idempotency_key: null,
  merged_into: null,
  owner_department_id: null,
  responsibility_list_id: null,
  responsibility_version: null,
  responsibility_entry_id: null,
  limits: null,
  dispatch_overridden: 0,
  return_count: 0,
  rework_count: 0,
  extension_count: 0,
  escalation_level: 0,
  stage_deadline: null,
  next_check_at: null,
  notices_sent: 0,
  paused_ms: 0,
  clock_paused_ms: 0,
  handling_deadline: null,
  registered_at: null,
  dispatched_at: null,
  accepted_at: null,
  feedback_at: null,
  closed_at: null,
  rating: null,
  rated_fixed: null,
  rated_at: null,
  parked_at: null,
  pending_extension: null,
  last_event_hash: null,
} as const;

const NEW_CASE_ENTRIES = Object.entries(NEW_CASE_ROW);

/**
 * The row of a new case: `fields` (a fresh object the caller builds, which this completes in
 * place) plus the starting values of NEW_CASE_ROW for every column it leaves out. V8 builds this
 * in about a microsecond; `{ ...NEW_CASE_ROW, ...fields }` took some forty.
 */
export function newCaseRow<F extends object>(fields: F): Omit<typeof NEW_CASE_ROW, keyof F> & F {
  const row = fields as Record<string, unknown>;
  for (const [key, value] of NEW_CASE_ENTRIES) if (!(key in row)) row[key] = value;
  return row as Omit<typeof NEW_CASE_ROW, keyof F> & F;
}

/**
 * The first event of every case: `report`, from nothing to `reported`, version 1, naming who
 * reported (src/core/workflow/intake.ts) and keeping the channel, category and photos.
 */
export function reportEventRow(
  caseId: string,
  at: string,
  who: { user_id: string | null; username: string; role: string },
  report: { channel: string; category: string | null; photos: readonly string[] },
): Omit<CaseEventTable, 'id'> {
  return eventRow(
    caseId,
    who,
    {
      version: 1,
      at,
      action: 'report',
      actor_role: who.role,
      from_stage: null,
      to_stage: 'reported',
      reason: null,
      payload: { channel: report.channel, category: report.category, photos: report.photos },
    },
    null,
  );
}
