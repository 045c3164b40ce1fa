import type { Kysely } from 'kysely';

/**
 * The working time a stage's clock stood still while the case was parked, in that stage's own
 * clock (work or natural milliseconds). Resuming moves the deadline on by it; the sweeper takes
 * it off the time used, so that the 50 % and 80 % notices after a pause come when the clock that
 * ran reaches them. Reset when a new stage starts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('cases')
    .addColumn('clock_paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}
