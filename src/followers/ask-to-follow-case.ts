import { isUniqueViolation } from '../db/dialect.ts';
import { inTransaction } from '../db/transaction.ts';
import { enqueueMail } from '../mail/enqueue.ts';
import { findCaseRef } from './find-case.ts';
import { mayResend, newId, newNonce, requireAddress, type FollowDeps } from './subscriptions.ts';

/**
 * Anyone asks to follow a case by e-mail (double opt-in): a pending follow and a confirmation mail,
 * in one transaction; following starts when the link in the mail is opened. The answer is the same
 * whether the address already follows or not, so that it tells nobody who follows what.
 */
export async function askToFollowCase(
  deps: FollowDeps,
  caseIdOrReference: string,
  input: { email: string; digest?: boolean | undefined },
): Promise<{ requested: true }> {
  const address = requireAddress(input.email);
  const now = deps.clock.now();
  const at = now.toISOString();
  try {
    await inTransaction(deps.store.db, async (tx) => {
      const found = await findCaseRef(tx, caseIdOrReference);
      const existing = await tx
        .selectFrom('case_followers')
        .select(['id', 'status', 'nonce', 'requested_at'])
        .where('case_id', '=', found.id)
        .where('email', '=', address)
        .executeTakeFirst();
      if (existing?.status === 'active') return;
      let id: string;
      let nonce: string;
      if (existing) {
        if (!existing.nonce || !mayResend(existing.requested_at, now)) return;
        ({ id, nonce } = { id: existing.id, nonce: existing.nonce });
        await tx.updateTable('case_followers').set({ requested_at: at }).where('id', '=', id).execute();
      } else {
        id = newId();
        nonce = newNonce();
        await tx
          .insertInto('case_followers')
          .values({
            id,
            case_id: found.id,
            user_id: null,
            email: address,
            status: 'pending',
            digest: input.digest ? 1 : 0,
            nonce,
            requested_at: at,
            created_at: at,
            confirmed_at: null,
          })
          .execute();
      }
      await enqueueMail(
        tx,
        {
          to: address,
          content: { template: 'follow_confirm', reference: found.reference },
          links: { confirm: { p: 'confirm', k: 'case', id, n: nonce } },
        },
        at,
      );
    });
  } catch (error) {
    // The same address asked twice at once: the other request wrote the row and sends the mail.
    if (!isUniqueViolation(error)) throw error;
  }
  return { requested: true };
}
