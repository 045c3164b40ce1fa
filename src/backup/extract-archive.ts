import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertKey } from '../attachments/blob-storage.ts';
import { DomainError } from '../core/errors.ts';
import type { DialectName } from '../db/dialect.ts';
import { MIGRATION_NAMES } from '../db/migrate.ts';
import {
  ATTACHMENTS_PREFIX,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  DATABASE_ENTRY,
  KEY_FILE_ENTRY,
  Manifest,
  MANIFEST_ENTRY,
  type ManifestFile,
} from './manifest.ts';
import { readTar, TarFormatError } from './tar.ts';

const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/**
 * Reads an archive into `staging` (a new folder), checking as it goes: the manifest first (its
 * format, the store's kind, a migration this program knows, then `check`, all before any file is
 * written), then every entry against the manifest's size and SHA-256, then that no listed file is
 * missing. Any difference is `backup.archive_invalid`; the caller removes `staging` on failure.
 */
export async function extractArchive(
  archive: { handle: FileHandle; file: string },
  kind: DialectName,
  staging: string,
  check: (manifest: Manifest) => Promise<void>,
): Promise<Manifest> {
  const invalid = (reason: string) =>
    new DomainError('backup.archive_invalid', { file: archive.file, reason });
  let manifest: Manifest | null = null;
  const listed = new Map<string, ManifestFile>();
  const seen = new Set<string>();
  try {
    for await (const entry of readTar(archive.handle)) {
      if (!manifest) {
        if (entry.name !== MANIFEST_ENTRY)
          throw invalid(`the first entry is ${entry.name}, not ${MANIFEST_ENTRY}`);
        if (entry.size > MAX_MANIFEST_BYTES) throw invalid('the manifest is too large');
        const chunks: Buffer[] = [];
        for await (const chunk of entry.content()) chunks.push(chunk);
        manifest = parseManifest(Buffer.concat(chunks).toString('utf8'), invalid);
        checkManifest(manifest, kind, invalid);
        for (const f of manifest.files) listed.set(f.path, f);
        await check(manifest);
        await mkdir(staging);
        continue;
      }
      const expected = listed.get(entry.name);
      if (!expected) throw invalid(`${entry.name} is not in the manifest`);
      if (seen.has(entry.name)) throw invalid(`${entry.name} appears twice`);
      if (entry.size !== expected.bytes)
        throw invalid(`${entry.name} has ${entry.size} bytes, the manifest says ${expected.bytes}`);
      seen.add(entry.name);
      const sha256 = await writeEntry(join(staging, ...entry.name.split('/')), entry.content());
      if (sha256 !== expected.sha256)
        throw invalid(`${entry.name} does not match its SHA-256 in the manifest`);
    }
  } catch (error) {
    if (error instanceof TarFormatError) throw invalid(error.message);
    throw error;
  }
  if (!manifest) throw invalid('the archive is empty');
  const missing = [...listed.keys()].find((path) => !seen.has(path));
  if (missing) throw invalid(`${missing} is listed in the manifest but not in the archive`);
  return manifest;
}

function parseManifest(text: string, invalid: (reason: string) => DomainError): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('the manifest is not JSON');
  }
  const format = (json as { format?: unknown; version?: unknown } | null) ?? {};
  if (format.format !== BACKUP_FORMAT) throw invalid('not a Shanzhi backup');
  if (typeof format.version === 'number' && format.version > BACKUP_VERSION) {
    throw invalid(`format version ${format.version}, this program reads up to ${BACKUP_VERSION}`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) throw invalid(`the manifest is malformed: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** Every path is the database entry (once), the key file, or an attachment under a valid blob key: no `..`. */
function checkManifest(
  manifest: Manifest,
  kind: DialectName,
  invalid: (reason: string) => DomainError,
): void {
  if (manifest.store !== kind)
    throw new DomainError('backup.wrong_store', { archive: manifest.store, target: kind });
  if (manifest.migration !== null && !MIGRATION_NAMES.includes(manifest.migration)) {
    throw new DomainError('backup.unknown_migration', { migration: manifest.migration });
  }
  if (kind === 'postgres' && !manifest.postgres) throw invalid('the manifest has no postgres section');
  const paths = manifest.files.map((f) => f.path);
  if (new Set(paths).size !== paths.length) throw invalid('the manifest lists a file twice');
  if (paths.filter((p) => p === DATABASE_ENTRY[kind]).length !== 1)
    throw invalid('the manifest lists no database');
  for (const path of paths) {
    if (path === DATABASE_ENTRY[kind] || path === KEY_FILE_ENTRY) continue;
    if (!path.startsWith(ATTACHMENTS_PREFIX)) throw invalid(`unexpected file ${path}`);
    try {
      assertKey(path.slice(ATTACHMENTS_PREFIX.length));
    } catch {
      throw invalid(`unexpected file ${path}`);
    }
  }
}

async function writeEntry(path: string, content: AsyncIterable<Buffer>): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  const file = await open(path, 'wx', 0o640);
  try {
    for await (const chunk of content) {
      hash.update(chunk);
      await file.write(chunk);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
