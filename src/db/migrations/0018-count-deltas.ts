import type { Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * Count deltas (docs/decisions/0005-count-deltas.md): each case change appends the counts it moves
 * under the case's key; src/indicators/count-deltas.ts folds them into case_daily_counts in
 * batches. `counts` holds the nonzero counts as JSON text. Few rows are ever pending, so the table
 * has no index beyond its key: folding takes the oldest ids, readers scan the rest.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('case_count_deltas')
    .addColumn('id', traits.name === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('county_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('grid_code', 'varchar(15)', (c) => c.notNull())
    .addColumn('department_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .execute();
}
