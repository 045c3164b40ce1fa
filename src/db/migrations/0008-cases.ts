import { sql, type Kysely } from 'kysely';
import { CHANNELS, STAGES } from '../../core/workflow/stages.ts';
import type { DialectTraits } from '../dialect.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Cases, their append-only events, their tasks (lead, co-handlers, whistled departments) and the
 * reference-number sequences. Deadlines are columns, swept by an indexed query, never timers.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp, json, float } = traits.types;
  const id = traits.name === 'postgres' ? 'bigserial' : 'integer';
  await db.schema
    .createTable('cases')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    // 330106-20260302-00017: county, day of report (UTC+8), sequence of that county and day.
    .addColumn('reference', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull().check(sql.raw(`channel IN (${list(CHANNELS)})`)))
    .addColumn('category_code', 'varchar(32)')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lon', float)
    .addColumn('lat', float)
    .addColumn('grid_code', 'varchar(15)')
    // The deepest region known (the grid's community, or the region given); county_code partitions.
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('county_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('stage', 'varchar(24)', (c) => c.notNull().check(sql.raw(`stage IN (${list(STAGES)})`)))
    .addColumn('stage_before_park', 'varchar(24)')
    .addColumn('version', 'integer', (c) => c.notNull())
    // Personal data of the reporter: shown only to roles that need it (src/core/access).
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('reporter_email', 'text')
    .addColumn('reporter_user_id', 'varchar(36)')
    .addColumn('anonymous', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'varchar(128)', (c) => c.unique())
    .addColumn('merged_into', 'varchar(36)')
    // Routing: the owner, and the list version that decided it.
    .addColumn('owner_department_id', 'varchar(64)')
    .addColumn('responsibility_list_id', 'varchar(64)')
    .addColumn('responsibility_version', 'integer')
    .addColumn('responsibility_entry_id', 'varchar(64)')
    .addColumn('limits', json)
    .addColumn('dispatch_overridden', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rework_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extension_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Which command centre holds the case: 0 its own county, 1 the city, 2 the province.
    .addColumn('escalation_level', 'smallint', (c) => c.notNull().defaultTo(0))
    // The clock of the current stage. Notices at 50 %, 80 %, 100 % go once each (bits 1, 2, 4).
    .addColumn('stage_started_at', timestamp, (c) => c.notNull())
    .addColumn('stage_deadline', timestamp)
    .addColumn('next_check_at', timestamp)
    .addColumn('notices_sent', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('handling_deadline', timestamp)
    .addColumn('reported_at', timestamp, (c) => c.notNull())
    .addColumn('registered_at', timestamp)
    .addColumn('dispatched_at', timestamp)
    .addColumn('accepted_at', timestamp)
    .addColumn('feedback_at', timestamp)
    .addColumn('closed_at', timestamp)
    .addColumn('rating', 'smallint')
    .addColumn('rated_fixed', 'smallint')
    .addColumn('rated_at', timestamp)
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  // Serves lists and indicators of a region subtree over a period.
  await db.schema
    .createIndex('cases_region_idx')
    .on('cases')
    .columns(['region_code', 'reported_at'])
    .execute();
  await db.schema
    .createIndex('cases_county_idx')
    .on('cases')
    .columns(['county_code', 'reported_at'])
    .execute();
  // Serves the sweeper: WHERE next_check_at <= now (open stages only carry a next_check_at).
  await db.schema.createIndex('cases_next_check_idx').on('cases').column('next_check_at').execute();
  // Serves duplicate suggestions: open cases of a category in a grid since a time.
  await db.schema
    .createIndex('cases_duplicates_idx')
    .on('cases')
    .columns(['category_code', 'grid_code', 'reported_at'])
    .execute();
  await db.schema
    .createIndex('cases_owner_idx')
    .on('cases')
    .columns(['owner_department_id', 'stage'])
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    // The case version this event produced: events of a case are numbered without gaps.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', timestamp, (c) => c.notNull())
    .addColumn('actor_user_id', 'varchar(36)')
    .addColumn('actor_username', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'varchar(32)', (c) => c.notNull())
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('from_stage', 'varchar(24)')
    .addColumn('to_stage', 'varchar(24)', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('payload', json, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_events_case_idx')
    .on('case_events')
    .columns(['case_id', 'version'])
    .unique()
    .execute();

  await db.schema
    .createTable('case_tasks')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('department_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull().check(sql`role IN ('lead', 'co', 'summoned')`))
    .addColumn('status', 'varchar(16)', (c) =>
      c.notNull().check(sql`status IN ('awaiting_report_in', 'open', 'done', 'escalated')`),
    )
    .addColumn('report_in_deadline', timestamp)
    .addColumn('deadline', timestamp)
    .addColumn('reported_in_at', timestamp)
    .addColumn('done_at', timestamp)
    .addColumn('feedback', json)
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_tasks_case_idx')
    .on('case_tasks')
    .columns(['case_id', 'department_id'])
    .execute();
  // Serves the sweeper's search for whistles not reported in on time.
  await db.schema
    .createIndex('case_tasks_report_in_idx')
    .on('case_tasks')
    .columns(['status', 'report_in_deadline'])
    .execute();

  await db.schema
    .createTable('reference_sequences')
    .addColumn('county_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('day', 'varchar(8)', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('reference_sequences_pk', ['county_code', 'day'])
    .execute();
}
