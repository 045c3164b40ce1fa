import type { Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * Pre-aggregated indicator counts (docs/decisions/0003-indicator-aggregation.md). One row per
 * county, community (region_code), grid, owner department, span ('d' a day, 'm' a month) and start
 * day, holding the sums of src/core/indicators countCase over the cases reported then. grid_code
 * and department_id hold '*' in the roll-up rows that sum over all grids or all departments, and
 * '' where the cases have none, so that every key column is NOT NULL and the key is a primary key.
 */
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

export async function up(db: Kysely<unknown>, _traits: DialectTraits): Promise<void> {
  let table = db.schema
    .createTable('case_daily_counts')
    .addColumn('county_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('grid_code', 'varchar(15)', (c) => c.notNull())
    .addColumn('department_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('span', 'varchar(1)', (c) => c.notNull())
    .addColumn('start_day', 'varchar(10)', (c) => c.notNull());
  // The base counts of src/core/indicators/indicators.ts COUNT_KEYS at the time of this migration.
  // handling_ms sums milliseconds: bigint (exact in a double up to 2^53 ms, about 285,000 years).
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
    .execute();
  // Serves get-indicators: grid and department by equality ('*' when not filtered), the span,
  // then the region subtree as a code range, then the days.
  await db.schema
    .createIndex('case_daily_counts_query_idx')
    .on('case_daily_counts')
    .columns(['grid_code', 'department_id', 'span', 'region_code', 'start_day'])
    .execute();
}
