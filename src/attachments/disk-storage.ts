import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError } from '../core/errors.ts';
import { assertKey, type BlobStorage } from './blob-storage.ts';

const TEMP_DIR = '.tmp';
/** Temporary files older than this are leftovers of a crash (an upload never takes an hour). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Attachments as files under one directory (`<data dir>/attachments/`), also when the database is
 * PostgreSQL. A file is written to `.tmp/`, flushed to disk (fsync), then renamed into place and
 * its directory flushed: rename is atomic within a file system, so after a crash a key holds the
 * whole file or nothing. Leftover temporary files are removed when the store opens.
 */
export class DiskBlobStorage implements BlobStorage {
  private constructor(readonly root: string) {}

  static async open(root: string, now: () => number = Date.now): Promise<DiskBlobStorage> {
    await mkdir(join(root, TEMP_DIR), { recursive: true });
    const storage = new DiskBlobStorage(root);
    await storage.removeStaleTemp(now() - STALE_TEMP_MS);
    return storage;
  }

  private path(key: string): string {
    assertKey(key);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const target = this.path(key);
    const temp = join(this.root, TEMP_DIR, `${randomBytes(12).toString('hex')}.part`);
    try {
      const file = await open(temp, 'wx', 0o640);
      try {
        if (data instanceof Uint8Array) await file.writeFile(data);
        else for await (const chunk of data) await file.write(chunk);
        await file.sync();
      } finally {
        await file.close();
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
      await syncDirectory(dirname(target));
    } catch (error) {
      await rm(temp, { force: true });
      if ((error as { code?: string }).code === 'ENOSPC') {
        throw new DomainError('datadir.full', { dir: this.root, free_mb: 0, min_mb: 1 });
      }
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async stream(key: string) {
    const path = this.path(key);
    try {
      // Opened before answering, so that a missing file is a null here and not a broken response.
      const handle = await open(path, 'r');
      try {
        const { size } = await handle.stat();
        return { stream: handle.createReadStream({ autoClose: true }), bytes: size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  private async removeStaleTemp(before: number): Promise<void> {
    const dir = join(this.root, TEMP_DIR);
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      if (info && info.mtimeMs < before) await rm(path, { force: true });
    }
  }
}

/** fsync of a directory makes a rename in it durable (POSIX); some platforms cannot, and say so. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
