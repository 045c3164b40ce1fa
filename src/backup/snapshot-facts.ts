/** What the backup needs to know of a snapshot, read from the snapshot itself. */
export interface SnapshotFacts {
  migration: string | null;
  /**
   * Every blob key the snapshot's attachment rows name (files and thumbnails). Files are written
   * before their row commits and removed after it is deleted (src/attachments/), so every key of
   * the snapshot is on disk after it was taken, unless pruned since.
   */
  blobKeys: string[];
}

// Migration names begin with their four-digit number, so the greatest name is the latest step.
export const MIGRATION_QUERY = 'SELECT max(name) AS name FROM kysely_migration';
export const KEYS_QUERY = 'SELECT blob_key, thumbnail_key FROM attachments ORDER BY blob_key';

type Rows = Array<Record<string, unknown>>;

export function snapshotFacts(migrations: Rows, keys: Rows): SnapshotFacts {
  const blobKeys: string[] = [];
  for (const row of keys) {
    blobKeys.push(String(row.blob_key));
    if (row.thumbnail_key !== null) blobKeys.push(String(row.thumbnail_key));
  }
  return { migration: (migrations[0]?.name as string | null | undefined) ?? null, blobKeys };
}
