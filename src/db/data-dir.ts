import {
  accessSync,
  constants,
  mkdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DomainError } from '../core/errors.ts';

export interface DataDirCheck {
  dir: string;
  /** Refuse to start below this much free space (SHANZHI_MIN_FREE_MB). */
  minFreeMb: number;
}

/**
 * Makes sure the data directory exists, is a directory we can read and write, and has room.
 * Access is probed by writing a file, because permission bits lie for root and on read-only mounts.
 */
export function prepareDataDir({ dir, minFreeMb }: DataDirCheck): string {
  const absolute = resolve(dir);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (error) {
    throw new DomainError('datadir.unusable', { dir: absolute, reason: describe(error) });
  }
  if (!statSync(absolute).isDirectory()) {
    throw new DomainError('datadir.unusable', { dir: absolute, reason: 'not a directory' });
  }
  const probe = join(absolute, `.probe-${process.pid}`);
  try {
    accessSync(absolute, constants.R_OK | constants.W_OK | constants.X_OK);
    writeFileSync(probe, 'ok');
    readFileSync(probe);
    rmSync(probe);
  } catch (error) {
    throw new DomainError('datadir.unusable', { dir: absolute, reason: describe(error) });
  }
  const stats = statfsSync(absolute);
  const freeMb = Math.floor((stats.bavail * stats.bsize) / (1024 * 1024));
  if (freeMb < minFreeMb)
    throw new DomainError('datadir.full', { dir: absolute, free_mb: freeMb, min_mb: minFreeMb });
  return absolute;
}

export interface ServerLock {
  release(): void;
}

/**
 * One server per data directory. The lock is an exclusive SQLite lock on `server.lock`: the
 * operating system drops it when the process dies, even by kill -9, so a crash never leaves a
 * stale lock behind (a pid file alone would).
 */
export function acquireServerLock(dir: string): ServerLock {
  const lockFile = join(dir, 'server.lock');
  const pidFile = join(dir, 'server.pid');
  const lock = new BetterSqlite3(lockFile, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      let pid = 'unknown';
      try {
        pid = readFileSync(pidFile, 'utf8').trim();
      } catch {
        // The other server may not have written its pid yet.
      }
      throw new DomainError('datadir.locked', { dir, pid });
    }
    throw new DomainError('datadir.unusable', { dir, reason: describe(error) });
  }
  writeFileSync(pidFile, String(process.pid));
  return {
    release() {
      try {
        rmSync(pidFile, { force: true });
      } finally {
        lock.close();
      }
    },
  };
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message ?? ''}`.trim() : String(error);
}
