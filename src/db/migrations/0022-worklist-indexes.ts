import type { Kysely } from 'kysely';

/**
 * Indexes of the worklists (src/cases/case-list-filters.ts, measured by bench/worklist.ts):
 *
 * - cases_deadline_idx: overdue and "due soon", soonest first. It leads with the stage deadline,
 *   so walking it in order reaches the overdue cases first; stage, region and reporter make it
 *   covering for the list's total (the region scope and the stage test read no table row).
 * - case_tasks_department_idx: a department's open tasks and whistles (co-handling, 吹哨), for
 *   its queue and the cases it may read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('cases_deadline_idx')
    .on('cases')
    .columns(['stage_deadline', 'stage', 'region_code', 'reporter_user_id'])
    .execute();
  await db.schema
    .createIndex('case_tasks_department_idx')
    .on('case_tasks')
    .columns(['department_id', 'status'])
    .execute();
}
