import type { Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * The Open311 test endpoint (docs/open311.md, "Test endpoint"): what third-party developers post
 * to /open311/test/v2, checked exactly as production checks it, kept apart from the cases so that
 * it never enters the workflow or the figures, and purged a day after it came
 * (src/open311/purge-sandbox-requests.ts, by open311_sandbox_created_idx).
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp, json, float } = traits.types;
  await db.schema
    .createTable('open311_sandbox_requests')
    // `TEST-` and a random part: never a case reference.
    .addColumn('service_request_id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('token', 'varchar(40)', (c) => c.notNull().unique())
    .addColumn('api_key_id', 'varchar(36)', (c) => c.notNull().references('open311_api_keys.id'))
    .addColumn('service_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    // Where intake's checks placed it: the region (GB/T 2260) and, for a point, the grid.
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('grid_code', 'varchar(32)')
    .addColumn('lat', float)
    .addColumn('lon', float)
    .addColumn('address_id', 'text')
    // JSON object: the answers by attribute code, as checked against the definition.
    .addColumn('attributes', json, (c) => c.notNull())
    .addColumn('media_url', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('open311_sandbox_created_idx')
    .on('open311_sandbox_requests')
    .column('created_at')
    .execute();
}
