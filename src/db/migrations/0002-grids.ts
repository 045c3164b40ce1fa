import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/** Unit grids (单元网格): polygons, each belonging to one community (level 5 region). */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp, float } = traits.types;
  await db.schema
    .createTable('grids')
    .addColumn('code', 'varchar(15)', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('community_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('community_level', 'smallint', (c) =>
      c
        .notNull()
        .defaultTo(5)
        .check(sql`community_level = 5`),
    )
    // GeoJSON text: the spatial index lives in the server process, not the database, so that
    // the embedded store and PostgreSQL answer the same way.
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_lon', float, (c) => c.notNull())
    .addColumn('min_lat', float, (c) => c.notNull())
    .addColumn('max_lon', float, (c) => c.notNull())
    .addColumn('max_lat', float, (c) => c.notNull())
    .addColumn('synthetic', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addForeignKeyConstraint('grids_community_fk', ['community_code', 'community_level'], 'regions', [
      'code',
      'level',
    ])
    .execute();
  // Serves grids of a community or of a region subtree (community_code BETWEEN low AND high).
  await db.schema.createIndex('grids_community_idx').on('grids').column('community_code').execute();

  await db.schema
    .createTable('grid_worker_assignments')
    .addColumn('id', traits.name === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('grid_code', 'varchar(15)', (c) => c.notNull().references('grids.code').onDelete('cascade'))
    .addColumn('worker_ref', 'text', (c) => c.notNull())
    .addColumn('worker_name', 'text', (c) => c.notNull())
    .addColumn('duty', 'text', (c) =>
      c.notNull().check(sql`duty IN ('full_time', 'part_time', 'specialist')`),
    )
    .addColumn('assigned_at', timestamp, (c) => c.notNull())
    .addColumn('ended_at', timestamp)
    .execute();
  // Serves "who works this grid now" and "where does this worker work".
  await db.schema
    .createIndex('grid_workers_grid_idx')
    .on('grid_worker_assignments')
    .columns(['grid_code', 'ended_at'])
    .execute();
  await db.schema
    .createIndex('grid_workers_worker_idx')
    .on('grid_worker_assignments')
    .columns(['worker_ref', 'ended_at'])
    .execute();
}
