import { sql } from 'kysely';
import type { DbOrTx } from '../db/schema.ts';

const KEY = 'grid_revision';

/**
 * Every change to grids bumps this counter in the same transaction. Bumping first also takes the
 * write lock (SQLite) or the row lock (PostgreSQL), so grid writers run one at a time and their
 * overlap checks see each other's work. Servers rebuild their spatial index when it moves.
 */
export async function bumpGridRevision(tx: DbOrTx): Promise<number> {
  await tx
    .insertInto('meta')
    .values({ key: KEY, value: '1' })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: sql<string>`CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)` }),
    )
    .execute();
  return readGridRevision(tx);
}

export async function readGridRevision(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', KEY).executeTakeFirst();
  return row ? Number(row.value) : 0;
}
