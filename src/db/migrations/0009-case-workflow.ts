import type { Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * What the workflow needs beyond 0008: when a case was parked (挂账), so that resuming can push its
 * deadlines back by the working time it stood still, and a pending extension request (延期).
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp, json } = traits.types;
  await db.schema.alterTable('cases').addColumn('parked_at', timestamp).execute();
  await db.schema.alterTable('cases').addColumn('pending_extension', json).execute();
  // 0008 gave case_tasks.status varchar(16), too short for 'awaiting_report_in' (18): PostgreSQL
  // refuses it, SQLite does not enforce lengths.
  if (traits.name === 'postgres') {
    await db.schema
      .alterTable('case_tasks')
      .alterColumn('status', (c) => c.setDataType('varchar(24)'))
      .execute();
  }
}
