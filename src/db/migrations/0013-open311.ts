import { sql, type Kysely } from 'kysely';
import { ATTRIBUTE_DATATYPES } from '../../core/open311/attributes.ts';
import type { DialectTraits } from '../dialect.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Open311 GeoReport v2 (docs/open311.md): the API keys administrators issue (with their rights and
 * a per-minute request counter that survives restarts), the questions of each service definition,
 * what an Open311 submission carried beyond the case itself, and the status updates back-office
 * systems posted (mySociety's servicerequestupdates), keyed so that a repeated update is refused.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp, json } = traits.types;
  await db.schema
    .createTable('open311_api_keys')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    // SHA-256 (hex) of the key: the key itself is shown once, when it is issued.
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('may_post_requests', 'smallint', (c) => c.notNull().defaultTo(1))
    .addColumn('may_exchange_updates', 'smallint', (c) => c.notNull().defaultTo(0))
    // The staff account whose permissions a back-office system's status updates act with.
    .addColumn('user_id', 'varchar(36)', (c) => c.references('users.id'))
    // Where address-only reports of this client lie, and the cases its update feed covers.
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    // 1: POST requests answers with a token (GET tokens/{token}) instead of the request id.
    .addColumn('answer_with_token', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('rate_per_minute', 'integer', (c) => c.notNull().check(sql`rate_per_minute > 0`))
    // Fixed one-minute window, 'YYYY-MM-DDTHH:MM' in UTC, and the keyed requests counted in it.
    .addColumn('window_start', 'varchar(16)')
    .addColumn('window_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('revoked_at', timestamp)
    .addColumn('revoked_by', 'text')
    .addColumn('last_used_at', timestamp)
    .execute();

  await db.schema
    .createTable('open311_attributes')
    .addColumn('category_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('code', 'varchar(64)', (c) => c.notNull())
    // The spec's `order`: 1 is shown first; unique within a definition.
    .addColumn('sort_order', 'integer', (c) => c.notNull().check(sql`sort_order > 0`))
    .addColumn('datatype', 'varchar(16)', (c) =>
      c.notNull().check(sql.raw(`datatype IN (${list(ATTRIBUTE_DATATYPES)})`)),
    )
    .addColumn('variable', 'smallint', (c) => c.notNull())
    .addColumn('required', 'smallint', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('datatype_description', 'text')
    // JSON array of { key, name } for the list datatypes, [] otherwise.
    .addColumn('options', json, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('open311_attributes_pk', ['category_code', 'code'])
    .addUniqueConstraint('open311_attributes_order_uq', ['category_code', 'sort_order'])
    .execute();

  await db.schema
    .createTable('open311_submissions')
    .addColumn('token', 'varchar(40)', (c) => c.primaryKey())
    // The idempotency key the case was reported with: the case exists exactly when a case row
    // carries it, so a submission never points at a half-written case.
    .addColumn('case_key', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('api_key_id', 'varchar(36)', (c) => c.notNull().references('open311_api_keys.id'))
    .addColumn('service_code', 'varchar(32)', (c) => c.notNull())
    // JSON: the answers to the definition's attributes, and attributes it does not define.
    .addColumn('attributes', json, (c) => c.notNull())
    .addColumn('extra_attributes', json, (c) => c.notNull())
    .addColumn('address_id', 'text')
    .addColumn('device_id', 'text')
    .addColumn('account_id', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('open311_updates')
    .addColumn('api_key_id', 'varchar(36)', (c) => c.notNull().references('open311_api_keys.id'))
    // The back-office system's own id of the update: posting it again is refused.
    .addColumn('update_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('status', 'varchar(40)', (c) => c.notNull())
    .addColumn('external_status_code', 'text')
    .addColumn('updated_datetime', timestamp, (c) => c.notNull())
    // The workflow action the update became, or 'note'.
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    // The case version the update produced; null only while the update is being applied.
    .addColumn('event_version', 'integer')
    .addColumn('received_at', timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('open311_updates_pk', ['api_key_id', 'update_id'])
    .execute();

  // Serves GET requests: the newest cases of a period (no region), at most 1,000.
  await db.schema.createIndex('cases_reported_idx').on('cases').column('reported_at').execute();
  // Serves GET servicerequestupdates: the case events of a period.
  await db.schema.createIndex('case_events_at_idx').on('case_events').column('at').execute();
}
