import BetterSqlite3 from 'better-sqlite3';
import { KEYS_QUERY, MIGRATION_QUERY, snapshotFacts, type SnapshotFacts } from './snapshot-facts.ts';

/**
 * A consistent copy of the live SQLite file in `target`, taken by `VACUUM INTO` over a connection
 * of its own: one read transaction, so under WAL the server keeps committing meanwhile and the copy
 * is the database as of the transaction's start. (The online backup API, db.backup(), starts over
 * whenever another connection writes, and a busy server may never let it finish.) The copy is
 * compact and switched to rollback-journal mode: one self-contained file.
 */
export function snapshotSqlite(live: string, target: string): SnapshotFacts {
  const source = new BetterSqlite3(live, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    source.prepare('VACUUM INTO ?').run(target);
  } finally {
    source.close();
  }
  const copy = new BetterSqlite3(target);
  try {
    copy.pragma('journal_mode = DELETE');
    const all = (query: string) => copy.prepare(query).all() as Array<Record<string, unknown>>;
    return snapshotFacts(all(MIGRATION_QUERY), all(KEYS_QUERY));
  } finally {
    copy.close();
  }
}
