import type { Clock } from '../core/clock.ts';
import type { DbOrTx } from '../db/schema.ts';

/** Requests to the test endpoint are kept for a day. */
export const SANDBOX_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes the test endpoint's requests older than a day (open311_sandbox_created_idx); the
 * server runs it hourly (src/main.ts). Returns how many went.
 */
export async function purgeSandboxRequests(deps: { db: DbOrTx; clock: Clock }): Promise<{ removed: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - SANDBOX_TTL_MS).toISOString();
  const result = await deps.db
    .deleteFrom('open311_sandbox_requests')
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  return { removed: Number(result.numDeletedRows) };
}
