import { DomainError } from '../core/errors.ts';
import { EMAIL_LINK_DAYS, readLink, type LinkClaims } from '../core/mail/tokens.ts';
import { nextDigestAt } from '../core/mail/schedule.ts';
import { readRoles } from '../accounts/users.ts';
import type { DbOrTx } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { linkSigner } from '../mail/link-secret.ts';
import { newId, TABLE, type FollowDeps } from './subscriptions.ts';

export interface Confirmed {
  confirmed: 'case' | 'area' | 'email';
  /** The case now followed (for a case follow). */
  reference?: string;
}

/** Reads a signed link; anything forged, altered or cut is `mail.invalid_link`. */
export async function verifyLink(db: DbOrTx, token: string): Promise<LinkClaims> {
  const claims = readLink(token, await linkSigner(db));
  if (!claims) throw new DomainError('mail.invalid_link');
  return claims;
}

/**
 * Opens a confirmation link (double opt-in, or an account's new address). A subscription's link
 * works once: confirming clears its nonce, and the update is conditional on it.
 */
export async function confirmByLink(deps: FollowDeps, token: string): Promise<Confirmed> {
  const now = deps.clock.now();
  const at = now.toISOString();
  return inTransaction(deps.store.db, async (tx) => {
    const claims = await verifyLink(tx, token);
    if (claims.p === 'unsubscribe') throw new DomainError('mail.invalid_link');
    if (claims.p === 'email') {
      if (now.getTime() / 1000 - claims.t > EMAIL_LINK_DAYS * 86_400)
        throw new DomainError('mail.invalid_link');
      const user = await tx
        .selectFrom('users')
        .select(['email', 'roles'])
        .where('id', '=', claims.id)
        .executeTakeFirst();
      if (!user) throw new DomainError('subscription.not_found', { id: claims.id });
      if (user.email === claims.e) throw new DomainError('mail.link_used');
      const staff = readRoles(user.roles).some((r) => r !== 'resident');
      await tx
        .updateTable('users')
        .set({ email: claims.e, queue_digest_at: staff ? nextDigestAt(now).toISOString() : null })
        .where('id', '=', claims.id)
        .execute();
      return { confirmed: 'email' };
    }
    const table = TABLE[claims.k];
    const updated = await tx
      .updateTable(table)
      .set({ status: 'active', nonce: null, confirmed_at: at })
      .where('id', '=', claims.id)
      .where('nonce', '=', claims.n)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const row = await tx.selectFrom(table).select('status').where('id', '=', claims.id).executeTakeFirst();
      if (!row) throw new DomainError('subscription.not_found', { id: claims.id });
      throw new DomainError('mail.link_used');
    }
    if (claims.k === 'area') return { confirmed: 'area' };
    return { confirmed: 'case', reference: await followOriginal(tx, claims.id, at) };
  });
}

/**
 * A follow confirmed after its case was merged follows the original too (the merge copied only
 * confirmed followers). Returns the reference of the case followed.
 */
async function followOriginal(tx: DbOrTx, followerId: string, at: string): Promise<string> {
  const row = await tx
    .selectFrom('case_followers')
    .innerJoin('cases', 'cases.id', 'case_followers.case_id')
    .select(['case_followers.email', 'case_followers.digest', 'cases.reference', 'cases.merged_into'])
    .where('case_followers.id', '=', followerId)
    .executeTakeFirstOrThrow();
  if (row.merged_into) {
    await tx
      .insertInto('case_followers')
      .values({
        id: newId(),
        case_id: row.merged_into,
        user_id: null,
        email: row.email,
        status: 'active',
        digest: row.digest,
        nonce: null,
        requested_at: at,
        created_at: at,
        confirmed_at: at,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return row.reference;
}
