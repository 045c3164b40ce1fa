import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live, by key. The disk store is the only one today; an object store
 * (S3, OSS, MinIO) can implement the same four verbs later without the use cases noticing.
 *
 * Keys are relative, slash-separated, lower-case names (`ab/ab12…-main.jpg`); the database row
 * names the keys of its files, so a store may change its layout without a migration.
 */
export interface BlobStorage {
  /**
   * Stores the bytes under the key, all or nothing: a reader never sees a partial file, even if
   * the process dies half way. Overwrites an existing key.
   */
  put(key: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  /** The bytes under the key, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  /** A stream of the bytes and their length, or null when there are none. */
  stream(key: string): Promise<{ stream: Readable; bytes: number } | null>;
  /** Removes the key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** Keys never climb out of the store (`..`) nor name its hidden temporary files (`.tmp`). */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part.includes('..'))) {
    throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  }
}
