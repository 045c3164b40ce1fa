import type { Clock } from '../core/clock.ts';
import type { DbOrTx } from '../db/schema.ts';

const DAY_MS = 24 * 3600 * 1000;

export interface PurgeOptions {
  /** Sent mail is kept this many days after it went out (for `shanzhi mail status`, support). */
  keepDays: number;
  /** Rows deleted per statement, so that no purge holds the writer for long. */
  batch?: number;
}

/**
 * Deletes sent mail older than `keepDays`. An outbox row carries the recipient's address and the
 * mail's content: once it is delivered and the retention has passed, nothing needs it (a re-send
 * after a crash happens within the claim lease, long before). Pending and failed rows are never
 * touched. Returns how many rows went.
 */
export async function purgeSentMail(
  deps: { db: DbOrTx; clock: Clock },
  options: PurgeOptions,
): Promise<number> {
  const batch = options.batch ?? 1000;
  const cutoff = new Date(deps.clock.now().getTime() - options.keepDays * DAY_MS).toISOString();
  let purged = 0;
  for (;;) {
    // outbox_sent_idx: status by equality, sent_at in order.
    const ids = (
      await deps.db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'sent')
        .where('sent_at', '<', cutoff)
        .orderBy('sent_at')
        .limit(batch)
        .execute()
    ).map((r) => r.id);
    if (ids.length === 0) return purged;
    const result = await deps.db
      .deleteFrom('outbox')
      .where('id', 'in', ids)
      .where('status', '=', 'sent')
      .executeTakeFirst();
    purged += Number(result.numDeletedRows);
    if (ids.length < batch) return purged;
  }
}
