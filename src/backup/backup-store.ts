import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { Store } from '../db/database.ts';
import {
  ATTACHMENTS_PREFIX,
  KEY_FILE_ENTRY,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  DATABASE_ENTRY,
  MANIFEST_ENTRY,
  type Manifest,
  type ManifestFile,
} from './manifest.ts';
import type { SnapshotFacts } from './snapshot-facts.ts';
import { snapshotPostgres } from './snapshot-postgres.ts';
import { snapshotSqlite } from './snapshot-sqlite.ts';
import { TarWriter } from './tar.ts';

export interface BackupDeps {
  store: Store;
  clock: Clock;
  /** The data directory: its `attachments/` folder holds the files, whichever the database. */
  dataDir: string;
  /** PostgreSQL only: the connection string, for pg_dump. */
  databaseUrl?: string | undefined;
}

export interface BackupReport {
  file: string;
  bytes: number;
  store: Manifest['store'];
  migration: string | null;
  attachments: number;
  ms: number;
}

/**
 * Writes one archive (src/backup/tar.ts) of the store while it keeps taking writes: the manifest,
 * the database snapshot, and the attachment files that snapshot names. Files are collected after
 * the snapshot is taken, by the snapshot's own list of keys: an upload commits its row only after
 * its file is on disk, so every file the snapshot names is there, and files of rows committed
 * later are left out, as the snapshot does not know them. The archive appears under its name only
 * once complete (written as `FILE.partial`, flushed, renamed); an existing file is never replaced.
 *
 * ```ts
 * const r = await backupStore({ store, clock, dataDir, databaseUrl }, '/backups/2026-03-02.tar');
 * ```
 */
export async function backupStore(deps: BackupDeps, out: string): Promise<BackupReport> {
  const started = Date.now();
  const file = resolve(out);
  if (await exists(file)) throw new DomainError('backup.file_exists', { file });
  const kind = deps.store.traits.name;
  // The snapshot is staged beside the archive: the same disk, which must hold the archive anyway.
  const work = await mkdtemp(join(dirname(file), `.${basename(file)}-`));
  try {
    const database = join(work, 'database');
    const snapshot: SnapshotFacts & { postgres?: Manifest['postgres'] } =
      kind === 'sqlite'
        ? snapshotSqlite(deps.store.location, database)
        : await snapshotPostgres(deps.store, requireUrl(deps.databaseUrl), database);
    const root = join(resolve(deps.dataDir), 'attachments');
    const keyFile = deps.store.keyring.file;
    const blobs = [...new Set(snapshot.blobKeys)].length;
    const sources = [
      { path: DATABASE_ENTRY[kind], file: database },
      // Keys only ever get added (rotate-keys.ts): the file now opens every value of the snapshot.
      ...(keyFile && (await exists(keyFile)) ? [{ path: KEY_FILE_ENTRY, file: keyFile }] : []),
      ...[...new Set(snapshot.blobKeys)].sort().map((key) => ({
        path: `${ATTACHMENTS_PREFIX}${key}`,
        file: join(root, ...key.split('/')),
        key,
      })),
    ];
    // The manifest comes first, so that a restore learns the store's kind before reading the rest;
    // it needs every hash, hence a first reading of the files (and a second, checked, into the tar).
    const files: ManifestFile[] = [];
    for (const source of sources) {
      const digest = await hashFile(source.file);
      if (!digest)
        throw new DomainError('backup.blob_missing', { key: 'key' in source ? source.key : source.path });
      files.push({ path: source.path, ...digest });
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      store: kind,
      migration: snapshot.migration,
      created_at: deps.clock.now().toISOString(),
      ...(snapshot.postgres ? { postgres: snapshot.postgres } : {}),
      files,
    };
    const bytes = await writeArchive(`${file}.partial`, manifest, sources);
    await rename(`${file}.partial`, file);
    await syncDirectory(dirname(file));
    return {
      file,
      bytes,
      store: kind,
      migration: snapshot.migration,
      attachments: blobs,
      ms: Date.now() - started,
    };
  } finally {
    await rm(`${file}.partial`, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

async function writeArchive(
  partial: string,
  manifest: Manifest,
  sources: Array<{ path: string; file: string }>,
): Promise<number> {
  const handle = await open(partial, 'wx', 0o600);
  try {
    const tar = new TarWriter(handle);
    const mtime = Math.floor(Date.parse(manifest.created_at) / 1000);
    const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await tar.add({ name: MANIFEST_ENTRY, size: text.length, mtime }, text);
    for (const [i, source] of sources.entries()) {
      const listed = manifest.files[i]!;
      const hash = createHash('sha256');
      const hashed = async function* () {
        for await (const chunk of createReadStream(source.file) as AsyncIterable<Buffer>) {
          hash.update(chunk);
          yield chunk;
        }
      };
      await tar.add({ name: listed.path, size: listed.bytes, mtime }, hashed());
      // A blob is never rewritten under its key: a difference is damage, and the archive is dropped.
      if (hash.digest('hex') !== listed.sha256) throw new Error(`${source.file} changed while it was copied`);
    }
    await tar.finish();
    await handle.sync();
    return tar.bytes;
  } finally {
    await handle.close();
  }
}

async function hashFile(file: string): Promise<{ bytes: number; sha256: string } | null> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  return { bytes, sha256: hash.digest('hex') };
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('a PostgreSQL store needs its connection string (DATABASE_URL) for pg_dump');
  return url;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** A rename is durable once its directory is flushed (POSIX); some file systems cannot, and say so. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}
