import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { Db } from '../db/schema.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { recordAudit } from './record-audit.ts';
import { hashToken, newToken, SESSION_TTL_MS } from './sessions.ts';
import { viewUsers, type UserView } from './users.ts';

/** Failures in a row before the first lock. */
export const LOCK_AFTER_FAILURES = 5;
export const FIRST_LOCK_MS = 60 * 1000;
export const MAX_LOCK_MS = 60 * 60 * 1000;

/**
 * The lock after the n-th failure in a row: none before the 5th, then 1 minute, doubling with
 * every further failure (2, 4, 8 … minutes), at most an hour. A successful log-in starts over.
 */
export function lockDuration(failures: number): number {
  if (failures < LOCK_AFTER_FAILURES) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - LOCK_AFTER_FAILURES));
}

export interface LogInResult {
  token: string;
  expires_at: string;
  user: UserView;
}

/**
 * Checks a username and password and opens a session. An unknown name and a wrong password give
 * the same error (`auth.invalid_credentials`) after the same work; a locked account answers
 * `auth.locked` with the time to retry and does not look at the password at all.
 */
export async function logIn(
  deps: { db: Db; clock: Clock },
  input: { username: string; password: string },
): Promise<LogInResult> {
  const username = input.username.trim().toLowerCase();
  const user = await deps.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  const now = deps.clock.now();
  if (user?.locked_until && new Date(readTimestamp(user.locked_until)) > now) {
    throw new DomainError('auth.locked', { retry_at: readTimestamp(user.locked_until) });
  }
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash()));
  if (!user || !ok) {
    await recordFailure(deps, username, user?.id, now);
    throw new DomainError('auth.invalid_credentials');
  }
  if (user.disabled === 1) throw new DomainError('auth.disabled');

  const token = newToken();
  const expires = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ failed_attempts: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await tx
      .insertInto('sessions')
      .values({
        token_hash: hashToken(token),
        user_id: user.id,
        created_at: now.toISOString(),
        expires_at: expires,
        revoked_at: null,
        last_seen_at: now.toISOString(),
      })
      .execute();
    await recordAudit(tx, {
      actor: { user_id: user.id, username: user.username },
      action: 'session.log_in',
      target_type: 'user',
      target_id: user.id,
      at: now,
    });
  });
  const [view] = await viewUsers(deps.db, [{ ...user, failed_attempts: 0, locked_until: null }]);
  return { token, expires_at: expires, user: view! };
}

async function recordFailure(
  deps: { db: Db; clock: Clock },
  username: string,
  userId: string | undefined,
  now: Date,
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    let details: Record<string, unknown> = {};
    if (userId) {
      // One statement counts the failure, so that concurrent attempts each count.
      const { failed_attempts } = await tx
        .updateTable('users')
        .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
        .where('id', '=', userId)
        .returning('failed_attempts')
        .executeTakeFirstOrThrow();
      const lock = lockDuration(failed_attempts);
      const lockedUntil = lock > 0 ? new Date(now.getTime() + lock).toISOString() : null;
      if (lockedUntil) {
        await tx.updateTable('users').set({ locked_until: lockedUntil }).where('id', '=', userId).execute();
      }
      details = { failed_attempts, locked_until: lockedUntil };
    }
    // An unknown name is not written down: people type their password into the name field.
    await recordAudit(tx, {
      actor: { user_id: userId ?? null, username: userId ? username : '(unknown)' },
      action: 'session.log_in_failed',
      target_type: 'user',
      target_id: userId ?? '(unknown)',
      details,
      at: now,
    });
  });
}
