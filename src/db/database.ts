import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { CommitGroup, type WriteWork } from './commit-group.ts';
import { EmbeddedDialect } from './embedded-dialect.ts';
import { POSTGRES, SQLITE, type DialectTraits } from './dialect.ts';
import type { Database, Db } from './schema.ts';
import { fileKeyring, type Keyring } from './keyring.ts';

export interface Store {
  db: Db;
  traits: DialectTraits;
  /** Where the store lives, for messages: the SQLite file or the PostgreSQL host/database. */
  location: string;
  /** PostgreSQL only: the schema the store works in, when not the default. */
  schema?: string;
  /**
   * Runs `work` in a write transaction and settles after its commit. On SQLite, concurrent
   * writes share one commit (CommitGroup); on PostgreSQL each is its own transaction (the
   * server groups commits itself). For hot, independent writes such as intake.
   */
  write<T>(work: WriteWork<T>): Promise<T>;
  /** The keys that seal residents' personal data in this store (keyring.ts). */
  keyring: Keyring;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise the embedded SQLite file in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL only: the schema to use (tests give each file its own). */
  searchPath?: string;
  /** Configured keys (SHANZHI_PERSONAL_KEYS); by default the ring in `dataDir`, made on first use. */
  keyring?: Keyring;
}

export const SQLITE_FILE = 'shanzhi.sqlite';

// bigint counts (count(*)) and numeric come back as strings from pg unless told otherwise;
// our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export function openStore(options: StoreOptions): Store {
  const keyring = options.keyring ?? fileKeyring(options.dataDir);
  if (options.databaseUrl) return openPostgres(options.databaseUrl, keyring, options.searchPath);
  mkdirSync(options.dataDir, { recursive: true });
  return openSqlite(join(options.dataDir, SQLITE_FILE), keyring);
}

export function openSqlite(file: string, keyring: Keyring): Store {
  const database = new BetterSqlite3(file);
  // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL at every commit so an
  // acknowledged commit survives a crash or power loss (NORMAL would risk the last commits).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Reads of a large store (a county's million cases is over 1 GB): the file mapped into memory
  // (capped by SQLite at 2 GB) reads pages without a system call each, and a 64 MiB page cache
  // keeps the indexes' upper levels. Writes still go through the WAL. A department's queue page over
  // bench/worklist.ts's 1,000,000 cases took 84 ms with the defaults (2 MB cache, no map), 33 ms so.
  database.pragma('mmap_size = 2147483648');
  database.pragma('cache_size = -65536');
  const db = new Kysely<Database>({
    dialect: new EmbeddedDialect(database, { database: withStatementCache(database) }),
  });
  const group = new CommitGroup(db);
  return {
    db,
    traits: SQLITE,
    location: file,
    write: (work) => group.run(work),
    keyring,
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query afresh; better-sqlite3 statements can be reused, and preparing costs
 * more than running a small query. Kysely runs one statement at a time on this connection, so a
 * cached statement is never in use twice. The cache is bounded; the oldest entry goes first.
 */
function withStatementCache(database: BetterSqlite3.Database, size = 1000): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(query: string) {
      let statement = cache.get(query);
      if (statement) {
        cache.delete(query);
      } else {
        statement = database.prepare(query);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(query, statement);
      return statement;
    },
  };
}

export function openPostgres(url: string, keyring: Keyring, searchPath?: string): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const parsed = new URL(url);
  return {
    db,
    traits: POSTGRES,
    ...(searchPath ? { schema: searchPath } : {}),
    location: `postgres://${parsed.host}${parsed.pathname}`,
    write: (work) => db.transaction().execute(work),
    keyring,
    close: () => db.destroy(),
  };
}
