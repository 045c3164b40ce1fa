import { DomainError } from '../core/errors.ts';
import type { SubscriptionKind } from '../core/mail/tokens.ts';
import { TABLE, type FollowDeps } from './subscriptions.ts';
import { verifyLink } from './confirm-by-link.ts';

/**
 * One-click unsubscribe (the link in every subscription mail, and its List-Unsubscribe header):
 * the signed link names the subscription, which ends. Using the link again is not an error.
 */
export async function unsubscribeByLink(
  deps: FollowDeps,
  token: string,
): Promise<{ unsubscribed: SubscriptionKind }> {
  const claims = await verifyLink(deps.store.db, token);
  if (claims.p !== 'unsubscribe') throw new DomainError('mail.invalid_link');
  await deps.store.db.deleteFrom(TABLE[claims.k]).where('id', '=', claims.id).execute();
  return { unsubscribed: claims.k };
}
