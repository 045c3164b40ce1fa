import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SQLITE_FILE } from '../src/db/database.ts';

/**
 * A second connection to the embedded store's file, without fsync: benchmarks load their history
 * through it, since the load is set-up, not the measure.
 */
export function openBulk(dataDir: string): BetterSqlite3.Database {
  const bulk = new BetterSqlite3(join(dataDir, SQLITE_FILE));
  bulk.pragma('synchronous = OFF');
  return bulk;
}

/** Inserts plain rows (the columns of the first) into `table` in one transaction. */
export function insertPlainRows(bulk: BetterSqlite3.Database, table: string, rows: readonly object[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const insert = bulk.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  bulk.transaction(() => {
    for (const r of rows) insert.run(columns.map((c) => (r as Record<string, unknown>)[c] ?? null));
  })();
}
