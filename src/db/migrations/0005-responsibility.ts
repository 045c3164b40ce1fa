import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * Responsibility lists (权责清单), versioned: one region's list is edited as a draft, validated and
 * published as version N; a published version is never changed again (the use cases refuse it),
 * and cases keep the id of the version that routed them.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp, json } = traits.types;
  await db.schema
    .createTable('responsibility_lists')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('region_level', 'smallint', (c) => c.notNull())
    // Null while a draft; a published version's number never changes.
    .addColumn('version', 'integer')
    .addColumn('status', 'varchar(16)', (c) =>
      c.notNull().check(sql`status IN ('draft', 'published', 'superseded')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('published_at', timestamp)
    .addColumn('published_by', 'text')
    .addForeignKeyConstraint('responsibility_lists_region_fk', ['region_code', 'region_level'], 'regions', [
      'code',
      'level',
    ])
    .execute();
  // Serves "the published list of each region on a region chain" and version numbering.
  await db.schema
    .createIndex('responsibility_lists_region_idx')
    .on('responsibility_lists')
    .columns(['region_code', 'status', 'version'])
    .execute();
  await db.schema
    .createIndex('responsibility_lists_version_idx')
    .on('responsibility_lists')
    .columns(['region_code', 'version'])
    .unique()
    .execute();

  await db.schema
    .createTable('responsibility_entries')
    .addColumn('list_id', 'varchar(64)', (c) =>
      c.notNull().references('responsibility_lists.id').onDelete('cascade'),
    )
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('category_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('scope_region_code', 'varchar(12)')
    // HandlerRef, HandlerRef[], LegalBasis and the per-stage limits as JSON: read whole, never queried inside.
    .addColumn('lead', json, (c) => c.notNull())
    .addColumn('co_handlers', json, (c) => c.notNull())
    .addColumn('legal_basis', json, (c) => c.notNull())
    .addColumn('limits', json, (c) => c.notNull())
    .addColumn('escalation', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('responsibility_entries_pk', ['list_id', 'id'])
    .execute();

  await db.schema
    .createTable('township_duties')
    .addColumn('list_id', 'varchar(64)', (c) =>
      c.notNull().references('responsibility_lists.id').onDelete('cascade'),
    )
    .addColumn('township_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('category_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('duty', 'varchar(16)', (c) =>
      c.notNull().check(sql`duty IN ('basic', 'assisting', 'returned')`),
    )
    .addPrimaryKeyConstraint('township_duties_pk', ['list_id', 'township_code', 'category_code'])
    .execute();
}
