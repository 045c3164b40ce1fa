import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { normalizeAddress } from '../core/mail/address.ts';
import { nextDigestAt } from '../core/mail/schedule.ts';
import { readRoles } from '../accounts/users.ts';
import { recordAudit } from '../accounts/record-audit.ts';
import type { Store } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { enqueueMail } from './enqueue.ts';

export interface MailSettings {
  email: string | null;
  /** True when a confirmation mail went to a new address that is not confirmed yet. */
  confirmation_sent: boolean;
  /** Staff: a daily digest of their queue. */
  queue_digest: boolean;
}

interface Deps {
  store: Pick<Store, 'db'>;
  clock: Clock;
}

const isStaff = (roles: unknown) => readRoles(roles).some((r) => r !== 'resident');

/**
 * A signed-in account changes its notification settings. A new address is not used until the
 * link mailed to it is opened (src/followers/confirm-by-link.ts); null removes the address.
 */
export async function updateMailSettings(
  deps: Deps,
  actor: Actor,
  input: { email?: string | null | undefined; queue_digest?: boolean | undefined },
): Promise<MailSettings> {
  const now = deps.clock.now();
  const at = now.toISOString();
  return inTransaction(deps.store.db, async (tx) => {
    const user = await tx
      .selectFrom('users')
      .select(['username', 'email', 'roles', 'queue_digest_at'])
      .where('id', '=', actor.user_id)
      .executeTakeFirst();
    if (!user) throw new DomainError('auth.required');
    let email = user.email;
    let digestAt = user.queue_digest_at;
    let confirmationSent = false;
    if (input.email === null) {
      email = null;
      digestAt = null;
    } else if (input.email !== undefined) {
      const address = normalizeAddress(input.email);
      if (address === null) throw new DomainError('mail.invalid_address');
      if (address !== user.email) {
        await enqueueMail(
          tx,
          {
            to: address,
            content: { template: 'email_confirm', username: user.username },
            links: {
              confirm: { p: 'email', id: actor.user_id, e: address, t: Math.floor(now.getTime() / 1000) },
            },
          },
          at,
        );
        confirmationSent = true;
      }
    }
    if (input.queue_digest !== undefined) {
      digestAt = input.queue_digest && email && isStaff(user.roles) ? nextDigestAt(now).toISOString() : null;
    }
    await tx
      .updateTable('users')
      .set({ email, queue_digest_at: digestAt })
      .where('id', '=', actor.user_id)
      .execute();
    return { email, confirmation_sent: confirmationSent, queue_digest: digestAt !== null };
  });
}

/**
 * An administrator sets an account's address from the command line (staff accounts are set up
 * by their organisation; no confirmation mail). Staff get the daily queue digest; null removes.
 */
export async function setAccountEmail(
  deps: Deps,
  username: string,
  email: string | null,
): Promise<MailSettings> {
  const address = email === null ? null : normalizeAddress(email);
  if (email !== null && address === null) throw new DomainError('mail.invalid_address');
  const now = deps.clock.now();
  return inTransaction(deps.store.db, async (tx) => {
    const user = await tx
      .selectFrom('users')
      .select(['id', 'roles'])
      .where('username', '=', username.trim().toLowerCase())
      .executeTakeFirst();
    if (!user) throw new DomainError('request.invalid', { issues: `no user named ${username}` });
    const digestAt = address && isStaff(user.roles) ? nextDigestAt(now).toISOString() : null;
    await tx
      .updateTable('users')
      .set({ email: address, queue_digest_at: digestAt })
      .where('id', '=', user.id)
      .execute();
    // The audit row names the change, not the address (personal data stays in the users table).
    await recordAudit(tx, {
      at: now,
      actor: { user_id: null, username: 'system' },
      action: 'user.set_email',
      target_type: 'user',
      target_id: user.id,
      details: { has_email: address !== null },
    });
    return { email: address, confirmation_sent: false, queue_digest: digestAt !== null };
  });
}
