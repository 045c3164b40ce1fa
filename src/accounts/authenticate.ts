import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { hashToken } from './sessions.ts';
import { toActor } from './users.ts';

// last_seen_at is written at most this often, so that reads do not each cost a write.
const SEEN_RESOLUTION_MS = 60 * 1000;

/**
 * The actor behind a bearer token. Anything short of a live session of an enabled user (unknown,
 * expired, revoked, disabled) is `auth.required`, with no hint of which: the client logs in again.
 */
export async function authenticate(deps: { db: DbOrTx; clock: Clock }, token: string): Promise<Actor> {
  const tokenHash = hashToken(token);
  // sessions primary key (token_hash).
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.expires_at', 'sessions.revoked_at', 'sessions.last_seen_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  const now = deps.clock.now();
  if (
    !row ||
    row.revoked_at !== null ||
    row.disabled === 1 ||
    new Date(readTimestamp(row.expires_at)) <= now
  ) {
    throw new DomainError('auth.required');
  }
  if (now.getTime() - new Date(readTimestamp(row.last_seen_at)).getTime() >= SEEN_RESOLUTION_MS) {
    await deps.db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return toActor(row);
}
