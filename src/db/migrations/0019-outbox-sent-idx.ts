import type { Kysely } from 'kysely';

/** Serves the purge of sent mail (src/mail/purge-outbox.ts): sent rows in the order they went out. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('outbox_sent_idx').on('outbox').columns(['status', 'sent_at']).execute();
}
