import type { Kysely } from 'kysely';

/**
 * A reporter who is not signed in gets a secret key with the reference number (shown once, kept
 * by their browser); only its SHA-256 is stored, so the database alone cannot act as the reporter.
 * It lets that reporter confirm "fixed / not fixed" and rate their own case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('reporter_key_hash', 'varchar(64)').execute();
}
