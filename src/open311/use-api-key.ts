import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';
import { hashApiKey, rightsOf, type ApiKeyRight } from './api-key-rows.ts';

/** The client behind a key, as the Open311 use cases need it. */
export interface ApiClient {
  id: string;
  label: string;
  region_code: string;
  user_id: string | null;
  answer_with_token: boolean;
}

/**
 * Checks a request's `api_key` for a right and counts the request against the key's limit. The
 * limit is a fixed one-minute window kept in the key's row (`window_start`, `window_count`), moved
 * by one atomic UPDATE … RETURNING, so it holds across restarts and across servers sharing one
 * PostgreSQL. Refusals: `open311.key_required`, `open311.key_invalid` (unknown), `open311.key_revoked`,
 * `open311.key_forbidden` (no such right), `open311.rate_limited` (with `retry_after` seconds).
 */
export async function useApiKey(
  deps: { db: DbOrTx; clock: Clock },
  key: string | undefined,
  right: ApiKeyRight,
): Promise<ApiClient> {
  const given = key?.trim();
  if (!given) throw new DomainError('open311.key_required');
  // open311_api_keys key_hash unique index.
  const row = await deps.db
    .selectFrom('open311_api_keys')
    .selectAll()
    .where('key_hash', '=', hashApiKey(given))
    .executeTakeFirst();
  if (!row) throw new DomainError('open311.key_invalid');
  if (row.revoked_at !== null) throw new DomainError('open311.key_revoked');
  if (!rightsOf(row).includes(right)) throw new DomainError('open311.key_forbidden', { right });

  const now = deps.clock.now();
  const minute = now.toISOString().slice(0, 16);
  const counted = await deps.db
    .updateTable('open311_api_keys')
    .set({
      window_count: sql<number>`CASE WHEN window_start = ${minute} THEN window_count + 1 ELSE 1 END`,
      window_start: minute,
      last_used_at: now.toISOString(),
    })
    .where('id', '=', row.id)
    .returning('window_count')
    .executeTakeFirstOrThrow();
  if (Number(counted.window_count) > row.rate_per_minute) {
    throw new DomainError('open311.rate_limited', {
      limit: row.rate_per_minute,
      retry_after: 60 - now.getUTCSeconds(),
    });
  }
  return {
    id: row.id,
    label: row.label,
    region_code: row.region_code,
    user_id: row.user_id,
    answer_with_token: row.answer_with_token === 1,
  };
}
