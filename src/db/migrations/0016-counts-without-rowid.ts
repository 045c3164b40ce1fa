import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/** The count columns of case_daily_counts as migration 0010 made them. */
const COUNTS = [
  'cases',
  'intake_decided',
  'registered',
  'dispatched',
  'dispatched_accurately',
  'should_handle',
  'handled',
  'handled_on_time',
  'should_close',
  'closed',
  'closed_on_time',
  'reworked',
  'handling_ms',
  'responded_in_time',
  'verdict',
  'resolved',
  'rated',
  'satisfied',
];
const KEYS = ['county_code', 'region_code', 'grid_code', 'department_id', 'span', 'start_day'];

/**
 * SQLite only: case_daily_counts becomes a WITHOUT ROWID table, so its primary key is the table.
 * Every case step upserts eight count rows; with a rowid table each of them wrote the key index
 * and the table, two pages apart, and the table alone was a fifth of the WAL that intake wrote.
 * PostgreSQL has no rowid tables: nothing changes there.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  if (traits.name !== 'sqlite') return;
  let table = db.schema
    .createTable('case_daily_counts_keyed')
    .addColumn('county_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('grid_code', 'varchar(15)', (c) => c.notNull())
    .addColumn('department_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('span', 'varchar(1)', (c) => c.notNull())
    .addColumn('start_day', 'varchar(10)', (c) => c.notNull());
  for (const key of COUNTS) table = table.addColumn(key, 'bigint', (c) => c.notNull().defaultTo(0));
  await table
    .addPrimaryKeyConstraint('case_daily_counts_pk', [
      'county_code',
      'span',
      'start_day',
      'region_code',
      'grid_code',
      'department_id',
    ])
    .modifyEnd(sql`WITHOUT ROWID`)
    .execute();
  const columns = sql.join([...KEYS, ...COUNTS].map((c) => sql.id(c)));
  await sql`INSERT INTO case_daily_counts_keyed (${columns}) SELECT ${columns} FROM case_daily_counts`.execute(
    db,
  );
  await db.schema.dropTable('case_daily_counts').execute();
  await db.schema.alterTable('case_daily_counts_keyed').renameTo('case_daily_counts').execute();
  await db.schema
    .createIndex('case_daily_counts_query_idx')
    .on('case_daily_counts')
    .columns(['grid_code', 'department_id', 'span', 'region_code', 'start_day'])
    .execute();
}
