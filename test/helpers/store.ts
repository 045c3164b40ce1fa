import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface TestStore extends Store {
  dataDir: string;
}

/**
 * A fresh, migrated store for one test file: a new SQLite file in a temporary directory, or,
 * when DATABASE_URL is set, a new PostgreSQL schema dropped again on close. `migrate: false`
 * leaves it empty, for tests of one migration step.
 */
export async function makeTestStore(options: { migrate?: boolean } = {}): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shanzhi-test-'));
  const url = process.env.DATABASE_URL;
  let store: Store;
  let dropSchema: (() => Promise<void>) | undefined;
  if (url) {
    const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = openStore({ databaseUrl: url, dataDir });
    await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
    store = openStore({ databaseUrl: url, dataDir, searchPath: schema });
    dropSchema = async () => {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
      await admin.close();
    };
  } else {
    store = openStore({ dataDir });
  }
  if (options.migrate !== false) await migrateToLatest(store);
  return {
    ...store,
    dataDir,
    async close() {
      await store.close();
      await dropSchema?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
