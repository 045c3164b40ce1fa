import { sql } from 'kysely';
import type { DbOrTx } from './schema.ts';

/**
 * Revision counters in `meta`: a writer bumps one in the same transaction as its change, and
 * processes holding a derived in-memory structure (the spatial index, compiled rules) reload when
 * it moves. Bumping first in a transaction also takes the write lock (SQLite) or the row lock
 * (PostgreSQL), so writers of the same kind run one at a time.
 */
export type RevisionKey = 'grid_revision' | 'responsibility_revision' | 'calendar_revision';

export async function bumpRevision(tx: DbOrTx, key: RevisionKey): Promise<number> {
  await tx
    .insertInto('meta')
    .values({ key, value: '1' })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: sql<string>`CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)` }),
    )
    .execute();
  return readRevision(tx, key);
}

export async function readRevision(db: DbOrTx, key: RevisionKey): Promise<number> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row ? Number(row.value) : 0;
}
