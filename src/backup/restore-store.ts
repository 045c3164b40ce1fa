import { chmod, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { DomainError } from '../core/errors.ts';
import { acquireServerLock } from '../db/data-dir.ts';
import { openPostgres, SQLITE_FILE, type Store } from '../db/database.ts';
import { fileKeyring, KEY_FILE } from '../db/keyring.ts';
import type { DialectName } from '../db/dialect.ts';
import { syncDirectory } from './backup-store.ts';
import { extractArchive } from './extract-archive.ts';
import { loadPostgresDump, type DumpTarget } from './load-postgres-dump.ts';
import { ATTACHMENTS_PREFIX, DATABASE_ENTRY, KEY_FILE_ENTRY, type Manifest } from './manifest.ts';

export interface RestoreDeps {
  /** Must be absent or empty: the restore never mixes a backup with what is already there. */
  dataDir: string;
  /** PostgreSQL: the target database, whose schema (search_path) must hold no table. */
  databaseUrl?: string | undefined;
  /** PostgreSQL: the target schema, when not given by the connection string (tests). */
  searchPath?: string | undefined;
}

export interface RestoreReport {
  store: DialectName;
  migration: string | null;
  created_at: string;
  attachments: number;
  target: string;
  ms: number;
}

/** Left by a restore that died part way: it makes the directory non-empty, so none follows blindly. */
const STAGING = '.restore-partial';
/** What taking the server lock leaves in the data directory (src/db/data-dir.ts). */
const LOCK_FILES = ['server.lock', 'server.lock-journal', 'server.pid'];

/**
 * Restores an archive of backupStore into an empty data directory and, on PostgreSQL, an empty
 * schema. The whole archive is read and checked (src/backup/extract-archive.ts) into a staging
 * folder before anything takes its place; then the files are renamed in and the database loaded in
 * one transaction. Any failure removes what the restore wrote. It holds the server lock meanwhile,
 * so no server starts on a half-restored directory. The store is left as the snapshot was: the
 * next start (or `shanzhi db migrate`) migrates it if this program is newer.
 */
export async function restoreStore(deps: RestoreDeps, archive: string): Promise<RestoreReport> {
  const started = Date.now();
  const file = resolve(archive);
  const dataDir = resolve(deps.dataDir);
  const kind: DialectName = deps.databaseUrl ? 'postgres' : 'sqlite';
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new DomainError('backup.archive_invalid', { file, reason: (error as Error).message });
  }
  const pg = deps.databaseUrl ? openPostgres(deps.databaseUrl, fileKeyring(dataDir), deps.searchPath) : null;
  try {
    await assertEmptyDir(dataDir, []);
    const target = pg ? await postgresTarget(pg, deps.searchPath) : null;
    const createdDir = !(await exists(dataDir));
    await mkdir(dataDir, { recursive: true });
    const lock = acquireServerLock(dataDir);
    let manifest: Manifest;
    try {
      // A server may have started between the first look and the lock.
      await assertEmptyDir(dataDir, LOCK_FILES);
      const staging = join(dataDir, STAGING);
      manifest = await extractArchive({ handle, file }, kind, staging, async (m) => {
        if (pg && target && m.postgres) await assertSchemaFree(pg, target, m.postgres.schema);
      });
      const attachments = join(staging, ...ATTACHMENTS_PREFIX.split('/').filter(Boolean));
      if (await exists(attachments)) await rename(attachments, join(dataDir, 'attachments'));
      const keys = join(staging, ...KEY_FILE_ENTRY.split('/'));
      if (await exists(keys)) {
        await rename(keys, join(dataDir, KEY_FILE));
        await chmod(join(dataDir, KEY_FILE), 0o600);
      }
      const database = join(staging, ...DATABASE_ENTRY[kind].split('/'));
      if (kind === 'sqlite') {
        await rename(database, join(dataDir, SQLITE_FILE));
      } else {
        await loadPostgresDump({
          url: deps.databaseUrl!,
          dump: database,
          listFile: join(staging, 'restore.list'),
          source: manifest.postgres!,
          target: target!,
        });
      }
      await syncDirectory(dataDir);
      await rm(staging, { recursive: true, force: true });
    } catch (error) {
      lock.release();
      // The directory was empty before: all in it now is the restore's own.
      if (createdDir) await rm(dataDir, { recursive: true, force: true });
      else
        for (const name of await readdir(dataDir))
          await rm(join(dataDir, name), { recursive: true, force: true });
      throw error;
    }
    lock.release();
    return {
      store: kind,
      migration: manifest.migration,
      created_at: manifest.created_at,
      attachments: manifest.files.filter((f) => f.path.startsWith(ATTACHMENTS_PREFIX)).length,
      target: pg ? `${pg.location} schema ${target!.schema}` : dataDir,
      ms: Date.now() - started,
    };
  } finally {
    await handle.close();
    await pg?.close();
  }
}

async function assertEmptyDir(dir: string, allowed: string[]): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return;
    throw new DomainError('datadir.unusable', { dir, reason: (error as Error).message });
  }
  const found = names.filter((n) => !allowed.includes(n));
  if (found.length > 0) {
    throw new DomainError('backup.target_not_empty', {
      target: dir,
      found: found.slice(0, 3).join(', ') + (found.length > 3 ? ', …' : ''),
    });
  }
}

/** The schema the target connection works in: the first of its search_path (`$user` skipped). */
async function postgresTarget(store: Store, searchPath: string | undefined): Promise<DumpTarget> {
  const { rows } = await sql<{ path: string }>`SELECT current_setting('search_path') AS path`.execute(
    store.db,
  );
  const schema = (searchPath ?? rows[0]!.path)
    .split(',')
    .map((s) =>
      s
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .replaceAll('""', '"'),
    )
    .find((s) => s !== '' && s !== '$user');
  if (!schema)
    throw new DomainError('datadir.unusable', { dir: store.location, reason: 'search_path names no schema' });
  const found = await sql<{ relations: number; present: boolean }>`
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ${schema}) AS relations,
           EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${schema}) AS present`.execute(store.db);
  const { relations, present } = found.rows[0]!;
  if (relations > 0) {
    throw new DomainError('backup.target_not_empty', {
      target: `${store.location} schema ${schema}`,
      found: `${relations} tables, indexes or sequences`,
    });
  }
  return { schema, exists: present };
}

/** A dump of schema S creates S: in a target of another name, S must not be taken already. */
async function assertSchemaFree(store: Store, target: DumpTarget, source: string): Promise<void> {
  if (source === target.schema) return;
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*) AS n FROM pg_namespace WHERE nspname = ${source}`.execute(store.db);
  if (rows[0]!.n > 0) {
    throw new DomainError('backup.target_not_empty', {
      target: store.location,
      found: `schema ${source}, the backup's own, already exists there: restore into another database, or into schema ${source} once it is dropped`,
    });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
