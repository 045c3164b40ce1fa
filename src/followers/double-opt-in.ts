import type { Insertable } from 'kysely';
import type { MailContent } from '../core/mail/content.ts';
import type { SubscriptionKind } from '../core/mail/tokens.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import type { Database, DbOrTx } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { enqueueMail } from '../mail/enqueue.ts';
import { mayResend, newId, newNonce, TABLE, type FollowDeps } from './subscriptions.ts';

/** The pending row an address already has for the same case or area, as the request reads it. */
interface Existing {
  id: string;
  status: string;
  nonce: string | null;
  requested_at: unknown;
}

/** What one kind of subscription adds to the double opt-in: how to find, what to write, what to say. */
export interface OptIn<K extends SubscriptionKind> {
  kind: K;
  /** The row this address already has for the same thing, if any (read inside the transaction). */
  find(tx: DbOrTx, address: string): Promise<Existing | undefined>;
  /** The columns of a new row beyond the shared ones (case_id; or the area's region or circle). */
  columns: Omit<
    Insertable<Database[(typeof TABLE)[K]]>,
    | 'id'
    | 'user_id'
    | 'email'
    | 'status'
    | 'digest'
    | 'nonce'
    | 'requested_at'
    | 'created_at'
    | 'confirmed_at'
  >;
  digest: boolean;
  content: Extract<MailContent, { template: 'follow_confirm' | 'area_confirm' }>;
}

/**
 * Double opt-in by address, for case followers and area subscriptions alike: a pending row and a
 * confirmation mail in one transaction, the subscription starting when the mail's link is opened.
 * An active row asks nothing again; a pending one sends its mail again at most once an hour. The
 * answer is the same in every case, so that it tells nobody who follows what.
 *
 * `prepare` runs first in the transaction (it finds the case, reads the area) and returns the
 * request, so that what it reads and what is written are one snapshot.
 */
export async function askByMail<K extends SubscriptionKind>(
  deps: FollowDeps,
  address: string,
  prepare: (tx: DbOrTx) => Promise<OptIn<K>>,
): Promise<{ requested: true }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  try {
    await inTransaction(deps.store.db, async (tx) => {
      const request = await prepare(tx);
      // Kysely cannot type a table chosen at run time; both tables share the columns written here,
      // and `columns` is typed by the kind's own table (OptIn).
      const table = TABLE[request.kind] as 'case_followers';
      const existing = await request.find(tx, address);
      if (existing?.status === 'active') return;
      let id: string;
      let nonce: string;
      if (existing) {
        if (!existing.nonce || !mayResend(existing.requested_at, now)) return;
        ({ id, nonce } = { id: existing.id, nonce: existing.nonce });
        await tx.updateTable(table).set({ requested_at: at }).where('id', '=', id).execute();
      } else {
        id = newId();
        nonce = newNonce();
        await tx
          .insertInto(table)
          .values({
            ...(request.columns as object as { case_id: string }),
            id,
            user_id: null,
            email: address,
            status: 'pending',
            digest: request.digest ? 1 : 0,
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
          content: request.content,
          links: { confirm: { p: 'confirm', k: request.kind, id, n: nonce } },
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
