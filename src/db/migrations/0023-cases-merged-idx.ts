import { sql, type Kysely } from 'kysely';

/**
 * Serves the case page's "merged into this case" list (src/cases/get-case.ts): only merged cases
 * have the column set, so the index is partial and stays small on both stores.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('cases_merged_into_idx')
    .on('cases')
    .column('merged_into')
    .where(sql.ref('merged_into'), 'is not', null)
    .execute();
}
