import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { normalizeAddress } from '../core/mail/address.ts';
import type { SubscriptionKind } from '../core/mail/tokens.ts';
import type { Store } from '../db/database.ts';
import type { DbOrTx } from '../db/schema.ts';

export interface FollowDeps {
  store: Pick<Store, 'db' | 'traits'>;
  clock: Clock;
}

/** The table each kind of subscription lives in. */
export const TABLE = { case: 'case_followers', area: 'area_subscriptions' } as const satisfies Record<
  SubscriptionKind,
  string
>;

/** A repeated request for the same pending address sends at most one confirmation mail an hour. */
export const RESEND_AFTER_MS = 3_600_000;

export const newId = (): string => randomUUID();
export const newNonce = (): string => randomBytes(12).toString('base64url');

export function requireAddress(input: string): string {
  const address = normalizeAddress(input);
  if (address === null) throw new DomainError('mail.invalid_address');
  return address;
}

/** An account's notification address (confirmed), or null when it has none. */
export async function accountAddress(db: DbOrTx, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  return row?.email ?? null;
}

/** Whether a pending request may send its confirmation mail again now. */
export function mayResend(requestedAt: unknown, now: Date): boolean {
  return (
    now.getTime() -
      new Date(String(requestedAt instanceof Date ? requestedAt.toISOString() : requestedAt)).getTime() >=
    RESEND_AFTER_MS
  );
}

/** The shared columns of a signed-in account's subscription, active at once (no opt-in by mail). */
export function accountRow(userId: string, digest: 0 | 1, at: string) {
  return {
    id: newId(),
    user_id: userId,
    email: null,
    status: 'active' as const,
    digest,
    nonce: null,
    requested_at: at,
    created_at: at,
    confirmed_at: at,
  };
}
