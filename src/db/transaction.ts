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

/**
 * Runs reads that must see one snapshot: in the caller's transaction when there is one, else in a
 * new one, REPEATABLE READ on PostgreSQL (each statement of a READ COMMITTED transaction sees its
 * own snapshot); a SQLite transaction reads one snapshot already.
 */
export function readInOneSnapshot<T>(
  db: DbOrTx,
  work: (tx: Transaction<Database> | Db) => Promise<T>,
): Promise<T> {
  return db.isTransaction
    ? work(db)
    : (db as Db).transaction().setIsolationLevel('repeatable read').execute(work);
}
