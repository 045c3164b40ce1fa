import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * The administrative division tree (GB/T 2260 + statistical codes), 12-digit codes.
 *
 * Keyed by (code, level), not code alone: the statistical tree fills a missing level with a copy
 * of its parent under the same 12-digit code (东莞市 is both city 4419 and county 441900; 金门县 is
 * county, township and village 350527000000). The copies have exactly the same descendants, so a
 * subtree is the same whichever copy names it.
 */
export async function up(db: Kysely<unknown>, _traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'varchar(12)', (c) => c.notNull())
    .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level BETWEEN 1 AND 5`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'varchar(12)')
    .addPrimaryKeyConstraint('regions_pk', ['code', 'level'])
    .execute();
  // Serves children of a region: WHERE parent_code = ? AND level = ?.
  await db.schema.createIndex('regions_parent_idx').on('regions').columns(['parent_code', 'level']).execute();
  // Serves name search by prefix (WHERE name LIKE '西湖%').
  await db.schema.createIndex('regions_name_idx').on('regions').column('name').execute();
  // Subtree queries (code BETWEEN low AND high) use the primary key, whose first column is code.

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
