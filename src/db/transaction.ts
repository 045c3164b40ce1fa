import type { DbOrTx, Db } from './schema.ts';
import type { Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Runs `work` in the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(
  db: DbOrTx,
  work: (tx: Transaction<Database> | Db) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : (db as Db).transaction().execute(work);
}
