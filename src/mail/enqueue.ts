import { randomUUID } from 'node:crypto';
import type { DigestEntry, MailContent } from '../core/mail/content.ts';
import { nextDigestAt } from '../core/mail/schedule.ts';
import type { LinkClaims, SubscriptionKind } from '../core/mail/tokens.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { ViewTarget } from './links.ts';

/** The links of a mail as stored: claims, signed into URLs only at delivery. */
export interface StoredLinks {
  confirm?: LinkClaims;
  unsubscribe?: { k: SubscriptionKind; id: string };
  view?: ViewTarget;
}

/** An outbox row's payload: everything needed to render and send the mail, and nothing else. */
export interface OutboxPayload {
  to: string;
  content: MailContent;
  links: StoredLinks;
  /** Digest only: each entry's unsubscribe link, in the order of `content.entries`. */
  entry_links?: Array<{ k: SubscriptionKind; id: string } | null>;
}

/** The Message-ID of an outbox row: derived from its id, so that a re-send carries the same one. */
export function messageIdOf(id: string): string {
  return `<${id}@outbox.shanzhi>`;
}

/**
 * Writes one mail to the outbox, in the caller's transaction: it is sent after commit, or never
 * if the change it belongs to rolls back. `at` is the change's own time (its event), not a clock.
 */
export async function enqueueMail(
  tx: DbOrTx,
  mail: Omit<OutboxPayload, 'links'> & { links?: StoredLinks },
  at: string,
): Promise<string> {
  const id = randomUUID();
  const payload: OutboxPayload = { ...mail, links: mail.links ?? {} };
  await tx
    .insertInto('outbox')
    .values({
      id,
      kind: mail.content.template,
      payload: JSON.stringify(payload),
      next_attempt_at: at,
      message_id: messageIdOf(id),
      created_at: at,
      sent_at: null,
      last_error: null,
    })
    .execute();
  return id;
}

/** A digest item as stored: the entry, and the subscription it came from (for its unsubscribe link). */
export interface DigestItemPayload {
  entry: Omit<DigestEntry, 'unsubscribe'>;
  from?: { k: SubscriptionKind; id: string };
}

/** A subscriber's share of an event: a mail now, or a line in tomorrow's digest. */
export interface Delivery {
  address: string;
  digest: boolean;
  from?: { k: SubscriptionKind; id: string };
}

/**
 * Sends an event to its subscribers in the caller's transaction, one mail each (or one digest
 * line each), never two to one address for one event.
 */
export async function deliverEvent(
  tx: DbOrTx,
  deliveries: readonly Delivery[],
  content: Extract<MailContent, { template: 'case_status' | 'area_new_case' }>,
  view: ViewTarget,
  at: string,
): Promise<number> {
  const seen = new Set<string>();
  const due = nextDigestAt(new Date(at)).toISOString();
  for (const d of deliveries) {
    if (seen.has(d.address)) continue;
    seen.add(d.address);
    if (d.digest) {
      const item: DigestItemPayload = { entry: content, ...(d.from ? { from: d.from } : {}) };
      await tx
        .insertInto('mail_digest_items')
        .values({
          address: d.address,
          kind: content.template,
          payload: JSON.stringify(item),
          created_at: at,
          due_at: due,
        })
        .execute();
    } else {
      await enqueueMail(
        tx,
        { to: d.address, content, links: { view, ...(d.from ? { unsubscribe: d.from } : {}) } },
        at,
      );
    }
  }
  return seen.size;
}
