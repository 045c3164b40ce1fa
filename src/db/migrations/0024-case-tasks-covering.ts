import type { Kysely } from 'kysely';

/**
 * case_tasks_department_idx (0022) covers the worklists' task lookups: a department's tasks of a
 * status, without the lead's (co-handling), and the cases they belong to, all from the index. The
 * role and case_id columns save a table read per task (on PostgreSQL an index-only scan), which a
 * department's queue paid for every one of its thousands of tasks (bench/worklist.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('case_tasks_department_idx').execute();
  await db.schema
    .createIndex('case_tasks_department_idx')
    .on('case_tasks')
    .columns(['department_id', 'status', 'role', 'case_id'])
    .execute();
}
