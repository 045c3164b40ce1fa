import { sql, type Kysely, type RawBuilder } from 'kysely';
import { hashAuditEntry, hashCaseEvent } from '../../core/audit/hashes.ts';
import { readJson, readTimestamp, type DialectTraits } from '../dialect.ts';
import { sha256 } from '../sha256.ts';

/** The columns this step reads to backfill; typed here so that later schema changes leave it be. */
interface Tables {
  cases: { id: string };
  case_events: {
    id: number;
    case_id: string;
    version: number;
    at: unknown;
    actor_user_id: string | null;
    actor_username: string;
    actor_role: string;
    action: string;
    from_stage: string | null;
    to_stage: string;
    reason: string | null;
    payload: unknown;
  };
  audit_log: {
    id: number;
    at: unknown;
    actor_user_id: string | null;
    actor_username: string;
    action: string;
    target_type: string;
    target_id: string;
    details: unknown;
  };
}

const PAGE = 500;

/**
 * Tamper-evident logs (docs/audit.md): every case event carries the hash of the case's event before
 * it and its own, the case row the hash of its last event (moved by every step with the version,
 * so that chaining costs no read), and the audit_log is one chain in id order, its head in
 * audit_heads (the row each audit write locks). audit_anchors holds a day's digest of every case's
 * last hash and the audit_log's head, chained.
 *
 * Existing rows are hashed here, case by case in pages, so that a database verifies right after
 * the step; the hashes are computed in JavaScript (src/core/audit), as every writer computes them.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp } = traits.types;
  await db.schema.alterTable('case_events').addColumn('prev_hash', 'varchar(64)').execute();
  await db.schema.alterTable('case_events').addColumn('hash', 'varchar(64)').execute();
  await db.schema.alterTable('cases').addColumn('last_event_hash', 'varchar(64)').execute();
  await db.schema.alterTable('audit_log').addColumn('prev_hash', 'varchar(64)').execute();
  await db.schema.alterTable('audit_log').addColumn('hash', 'varchar(64)').execute();
  await db.schema
    .createTable('audit_heads')
    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('last_id', 'bigint')
    .addColumn('hash', 'varchar(64)')
    .execute();
  await db.schema
    .createTable('audit_anchors')
    .addColumn('id', traits.name === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('period', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('from_at', timestamp)
    .addColumn('until_at', timestamp, (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addColumn('cases_digest', 'varchar(64)', (c) => c.notNull())
    .addColumn('audit_log_id', 'bigint')
    .addColumn('audit_log_hash', 'varchar(64)')
    .addColumn('prev_digest', 'varchar(64)')
    .addColumn('digest', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();

  await backfillChains(db);
}

/**
 * Hashes every case's events and the audit_log from the first row on, and sets the heads (the
 * case rows' last_event_hash, the audit_log's row in audit_heads). Exported for its test.
 */
export async function backfillChains(db: Kysely<unknown>): Promise<void> {
  const t = db as unknown as Kysely<Tables>;
  await backfillEvents(t);
  const head = await backfillAuditLog(t);
  await sql`DELETE FROM audit_heads WHERE name = 'audit_log'`.execute(db);
  await sql`INSERT INTO audit_heads (name, last_id, hash)
    VALUES ('audit_log', ${head?.id ?? null}, ${head?.hash ?? null})`.execute(db);
}

async function backfillEvents(db: Kysely<Tables>): Promise<void> {
  let after = '';
  for (;;) {
    const cases = await db
      .selectFrom('cases')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (cases.length === 0) return;
    after = cases.at(-1)!.id;
    const events = await db
      .selectFrom('case_events')
      .selectAll()
      .where(
        'case_id',
        'in',
        cases.map((c) => c.id),
      )
      .orderBy('case_id')
      .orderBy('version')
      .execute();
    const updates: Array<{ id: number; prev: string | null; hash: string }> = [];
    const heads = new Map<string, string>();
    let prev: { case_id: string; hash: string } | null = null;
    for (const e of events) {
      const before = prev?.case_id === e.case_id ? prev.hash : null;
      const hash = hashCaseEvent(sha256, before, {
        ...e,
        at: readTimestamp(e.at),
        payload: readJson(e.payload),
      });
      updates.push({ id: Number(e.id), prev: before, hash });
      heads.set(e.case_id, hash);
      prev = { case_id: e.case_id, hash };
    }
    await updateById(db, 'case_events', updates, (u) => ({ prev_hash: u.prev, hash: u.hash }));
    const caseUpdates = [...heads].map(([id, hash]) => ({ id, hash }));
    await updateById(db, 'cases', caseUpdates, (u) => ({ last_event_hash: u.hash }));
  }
}

async function backfillAuditLog(db: Kysely<Tables>): Promise<{ id: number; hash: string } | null> {
  let last = null as { id: number; hash: string } | null;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', last?.id ?? 0)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return last;
    const updates: Array<{ id: number; prev: string | null; hash: string }> = [];
    for (const r of rows) {
      const prev: string | null = last?.hash ?? null;
      const hash = hashAuditEntry(sha256, prev, {
        ...r,
        at: readTimestamp(r.at),
        details: readJson(r.details),
      });
      updates.push({ id: Number(r.id), prev, hash });
      last = { id: Number(r.id), hash };
    }
    await updateById(db, 'audit_log', updates, (u) => ({ prev_hash: u.prev, hash: u.hash }));
  }
}

/**
 * One UPDATE per page, the same SQL on both stores: `SET col = CASE id WHEN … THEN … END` over
 * the page's ids, instead of a statement (and on PostgreSQL a round trip) per row.
 */
async function updateById<U extends { id: number | string }>(
  db: Kysely<Tables>,
  table: string,
  rows: readonly U[],
  columns: (row: U) => Record<string, string | null>,
): Promise<void> {
  // A page of cases may hold many events: 1,000 rows at most keep a statement's parameters low.
  for (let i = 0; i < rows.length; i += 1000) await updateChunk(db, table, rows.slice(i, i + 1000), columns);
}

async function updateChunk<U extends { id: number | string }>(
  db: Kysely<Tables>,
  table: string,
  rows: readonly U[],
  columns: (row: U) => Record<string, string | null>,
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(columns);
  const names = Object.keys(values[0]!);
  const sets: RawBuilder<unknown>[] = names.map(
    (name) =>
      sql`${sql.ref(name)} = CASE ${sql.ref('id')} ${sql.join(
        rows.map((r, i) => sql`WHEN ${r.id} THEN ${values[i]![name] ?? null}`),
        sql` `,
      )} END`,
  );
  await sql`UPDATE ${sql.table(table)} SET ${sql.join(sets)} WHERE ${sql.ref('id')} IN (${sql.join(
    rows.map((r) => r.id),
  )})`.execute(db);
}
