import type { Clock } from '../core/clock.ts';
import type { DigestEntry } from '../core/mail/content.ts';
import type { SubscriptionKind } from '../core/mail/tokens.ts';
import type { Store } from '../db/database.ts';
import { forUpdateSkipLocked, readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { enqueueMail, type DigestItemPayload } from './enqueue.ts';

export interface DigestDeps {
  store: Pick<Store, 'db' | 'traits'>;
  clock: Clock;
}

/**
 * The daily digest of residents who chose one: every address whose collected lines are due
 * (mail_digest_items.due_at, the swept timer) gets one mail with all of them. Taking the lines
 * (deleted, locked with SKIP LOCKED on PostgreSQL) and writing the digest to the outbox happen
 * in one transaction, so two digest jobs never send a line twice and a crash loses none.
 */
export async function sendDigests(
  deps: DigestDeps,
  options: { batchSize?: number } = {},
): Promise<{ digests: number; entries: number }> {
  const { db, traits } = deps.store;
  const batchSize = options.batchSize ?? 200;
  const now = deps.clock.now().toISOString();
  const report = { digests: 0, entries: 0 };
  const seen = new Set<string>();
  for (;;) {
    // Serves: mail_digest_items_due_idx.
    const due = await db
      .selectFrom('mail_digest_items')
      .select('address')
      .distinct()
      .where('due_at', '<=', now)
      .orderBy('address')
      .limit(batchSize)
      .execute();
    const fresh = due.map((d) => d.address).filter((a) => !seen.has(a));
    if (fresh.length === 0) break;
    for (const address of fresh) {
      seen.add(address);
      const entries = await db.transaction().execute(async (tx) => {
        // Serves: mail_digest_items_address_idx.
        const items = await forUpdateSkipLocked(
          traits,
          tx
            .selectFrom('mail_digest_items')
            .select(['id', 'payload'])
            .where('address', '=', address)
            .where('due_at', '<=', now)
            .orderBy('id'),
        ).execute();
        if (items.length === 0) return 0;
        await tx
          .deleteFrom('mail_digest_items')
          .where(
            'id',
            'in',
            items.map((i) => i.id),
          )
          .execute();
        const lines = await stillSubscribed(
          tx,
          items.map((i) => readJson<DigestItemPayload>(i.payload)),
        );
        if (lines.length === 0) return 0;
        const sources = new Set(lines.map((l) => (l.from ? `${l.from.k}:${l.from.id}` : '')));
        const only = sources.size === 1 ? lines[0]!.from : undefined;
        await enqueueMail(
          tx,
          {
            to: address,
            content: { template: 'digest', entries: lines.map((l) => l.entry as DigestEntry) },
            entry_links: lines.map((l) => l.from ?? null),
            // One subscription behind the whole digest: mail clients may offer one-click unsubscribe.
            links: only ? { unsubscribe: only } : {},
          },
          now,
        );
        return lines.length;
      });
      if (entries > 0) {
        report.digests += 1;
        report.entries += entries;
      }
    }
  }
  return report;
}

/** Lines whose subscription ended since they were collected are dropped. */
async function stillSubscribed(tx: DbOrTx, lines: DigestItemPayload[]): Promise<DigestItemPayload[]> {
  const ids = (k: SubscriptionKind) => [
    ...new Set(lines.flatMap((l) => (l.from?.k === k ? [l.from.id] : []))),
  ];
  const live = new Set<string>();
  const caseIds = ids('case');
  if (caseIds.length > 0) {
    const rows = await tx.selectFrom('case_followers').select('id').where('id', 'in', caseIds).execute();
    for (const r of rows) live.add(`case:${r.id}`);
  }
  const areaIds = ids('area');
  if (areaIds.length > 0) {
    const rows = await tx.selectFrom('area_subscriptions').select('id').where('id', 'in', areaIds).execute();
    for (const r of rows) live.add(`area:${r.id}`);
  }
  return lines.filter((l) => !l.from || live.has(`${l.from.k}:${l.from.id}`));
}
