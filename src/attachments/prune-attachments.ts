import type { Clock } from '../core/clock.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { BlobStorage } from './blob-storage.ts';

/** Uploads nobody claimed within a day were abandoned (a report given up, a retry that uploaded again). */
export const UNCLAIMED_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Removes uploads that no case claimed within `olderThanMs`, rows first and then their files. The
 * DELETE repeats `case_id IS NULL`, so an upload claimed at the same moment is never removed.
 * Returns how many went.
 */
export async function pruneUnclaimedAttachments(
  deps: { db: DbOrTx; storage: BlobStorage; clock: Clock },
  options: { olderThanMs?: number; batch?: number } = {},
): Promise<{ removed: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - (options.olderThanMs ?? UNCLAIMED_TTL_MS));
  const batch = options.batch ?? 500;
  let removed = 0;
  for (;;) {
    // Uses attachments_case_idx: case_id IS NULL AND created_at < cutoff.
    const ids = await deps.db
      .selectFrom('attachments')
      .select('id')
      .where('case_id', 'is', null)
      .where('created_at', '<', cutoff.toISOString())
      .limit(batch)
      .execute();
    if (ids.length === 0) break;
    const gone = await deps.db
      .deleteFrom('attachments')
      .where(
        'id',
        'in',
        ids.map((r) => r.id),
      )
      .where('case_id', 'is', null)
      .returning(['blob_key', 'thumbnail_key'])
      .execute();
    for (const row of gone) {
      await deps.storage.delete(row.blob_key);
      if (row.thumbnail_key) await deps.storage.delete(row.thumbnail_key);
    }
    removed += gone.length;
    if (ids.length < batch) break;
  }
  return { removed };
}
