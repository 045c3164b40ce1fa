import type { Kysely } from 'kysely';

/**
 * cases_owner_idx (0008) serves a department's queue by itself. A queue asks one stage at a time
 * (list-queue.ts), newest or oldest first: with reported_at and id after the stage, the index
 * gives that order, so a page reads 51 entries instead of sorting every case the department owns
 * in the stage. With region_code and reporter_user_id, the columns of the readable scope, the
 * queue's capped count needs no table read (on PostgreSQL an index-only scan).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('cases_owner_idx').execute();
  await db.schema
    .createIndex('cases_owner_idx')
    .on('cases')
    .columns(['owner_department_id', 'stage', 'reported_at', 'id', 'region_code', 'reporter_user_id'])
    .execute();
}
