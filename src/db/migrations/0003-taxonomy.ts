import { sql, type Kysely } from 'kysely';
import { CATEGORY_KINDS } from '../../core/taxonomy/codes.ts';
import type { DialectTraits } from '../dialect.ts';

/**
 * The category taxonomy (事项分类, docs/taxonomy.md): one tree per province, codes nest (a child's
 * code is its parent's plus a 2-character segment). `region_code` is the region that defined the
 * category: the province for the base taxonomy, a city or county for its local additions.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const kinds = sql.join(CATEGORY_KINDS.map((k) => sql.lit(k)));
  await db.schema
    .createTable('categories')
    .addColumn('code', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('parent_code', 'varchar(10)', (c) => c.references('categories.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('depth', 'smallint', (c) => c.notNull().check(sql`depth BETWEEN 1 AND 5`))
    // 1 while no category has this one as parent; the per-region view recomputes it (list-categories).
    .addColumn('leaf', 'smallint', (c) => c.notNull().check(sql`leaf IN (0, 1)`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN (${kinds})`))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('region_level', 'smallint', (c) => c.notNull().check(sql`region_level BETWEEN 1 AND 3`))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', traits.types.timestamp, (c) => c.notNull())
    .addForeignKeyConstraint('categories_region_fk', ['region_code', 'region_level'], 'regions', [
      'code',
      'level',
    ])
    .execute();
  // Serves children of a category (WHERE parent_code = ?) and the free-segment lookup on add/import.
  await db.schema.createIndex('categories_parent_idx').on('categories').column('parent_code').execute();
  // Serves the taxonomy visible in a region: WHERE region_code IN (province, city, county).
  await db.schema.createIndex('categories_region_idx').on('categories').column('region_code').execute();
}
