import type { Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * Attachments (photos of reports, evidence of handling). The bytes live in the blob store (files
 * under the data directory); a row names them. An upload is unclaimed (case_id null) until a
 * report or a workflow step claims it for one case; only the SHA-256 of its upload key is stored.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp } = traits.types;
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.references('cases.id'))
    .addColumn('content_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('blob_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('thumbnail_key', 'varchar(200)')
    .addColumn('thumbnail_type', 'varchar(64)')
    .addColumn('thumbnail_bytes', 'integer')
    .addColumn('thumbnail_sha256', 'varchar(64)')
    .addColumn('upload_key_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('uploaded_by_user_id', 'varchar(36)')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('claimed_at', timestamp)
    .execute();
  // Serves a case's attachments (case_id = ?) and the pruning of old unclaimed uploads
  // (case_id IS NULL AND created_at < ?).
  await db.schema
    .createIndex('attachments_case_idx')
    .on('attachments')
    .columns(['case_id', 'created_at'])
    .execute();
}
