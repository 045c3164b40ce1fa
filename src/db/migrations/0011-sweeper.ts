import type { Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * Time-limit notices (50 %, 80 %, 100 % of a stage's limit). The key makes each notice of a stage
 * exist once, however many sweepers run and however often: a second insert is a no-op.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('case_notices')
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('stage', 'varchar(24)', (c) => c.notNull())
    .addColumn('stage_started_at', traits.types.timestamp, (c) => c.notNull())
    .addColumn('threshold', 'smallint', (c) => c.notNull())
    .addColumn('stage_deadline', traits.types.timestamp, (c) => c.notNull())
    .addColumn('at', traits.types.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('case_notices_pk', ['case_id', 'stage_started_at', 'threshold'])
    .execute();
}
