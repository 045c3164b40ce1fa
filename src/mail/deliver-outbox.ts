import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { redactAddresses } from '../core/mail/address.ts';
import { DEFAULT_BACKOFF, retryDelayMs, type Backoff } from '../core/mail/schedule.ts';
import type { Store } from '../db/database.ts';
import { forUpdateSkipLocked } from '../db/dialect.ts';
import { composeMail } from './compose.ts';
import type { LinkBuilder } from './links.ts';
import { isPermanentFailure, type Mailer } from './mailer.ts';

export interface DeliverDeps {
  store: Pick<Store, 'db' | 'traits'>;
  clock: Clock;
  mailer: Mailer;
  links: LinkBuilder;
}

export interface DeliverOptions {
  /** Rows claimed at once. */
  batchSize?: number;
  /**
   * How long a claim holds a row. A dispatcher that dies between sending and marking leaves the
   * row to be claimed again after this, and the mail goes out again with the same Message-ID.
   */
  leaseMs?: number;
  /** Transient failures retried this many times (with backoff) before the row is marked failed. */
  maxAttempts?: number;
  backoff?: Backoff;
  /** Stop after this many batches (the server's loop comes back soon anyway). */
  maxBatches?: number;
  /** Sent rows marked per UPDATE: at most this many mails go out twice after a crash. */
  markEvery?: number;
}

export interface DeliverReport {
  sent: number;
  /** Failed this time, to be tried again after a backoff. */
  retried: number;
  /** Permanently refused (a 5xx reply) or out of attempts: kept with the reason, `shanzhi mail retry` requeues. */
  failed: number;
  /** Sent, but the mark did not stick: sent again (same Message-ID) when the lease runs out. */
  unmarked: number;
}

/**
 * Delivers due outbox rows (deliver-outbox): claim, send, mark. The claim is one UPDATE … RETURNING
 * that moves the rows' next_attempt_at one lease ahead, with FOR UPDATE SKIP LOCKED on PostgreSQL
 * so that concurrent dispatchers take disjoint rows, and SQLite's single writer elsewhere. Sending
 * happens outside any transaction. Rows are never deleted here: a row is pending, sent or failed.
 */
export async function deliverOutbox(deps: DeliverDeps, options: DeliverOptions = {}): Promise<DeliverReport> {
  const { db } = deps.store;
  const batchSize = options.batchSize ?? 50;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const markEvery = options.markEvery ?? 20;
  const report: DeliverReport = { sent: 0, retried: 0, failed: 0, unmarked: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 100); batch++) {
    const now = deps.clock.now();
    const due = db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .orderBy('next_attempt_at')
      .limit(batchSize);
    // Serves: outbox_due_idx (status, next_attempt_at).
    const claimed = await db
      .updateTable('outbox')
      .set({
        attempts: sql<number>`attempts + 1`,
        next_attempt_at: new Date(now.getTime() + leaseMs).toISOString(),
      })
      .where('id', 'in', forUpdateSkipLocked(deps.store.traits, due))
      .returning(['id', 'message_id', 'payload', 'attempts', 'created_at'])
      .execute();
    if (claimed.length === 0) break;
    claimed.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
    // Sent rows are marked in groups: one fsynced commit per group instead of per mail. A crash
    // re-sends at most the group's unmarked mails, each with its own Message-ID.
    const sent: string[] = [];
    const markSent = async () => {
      const ids = sent.splice(0);
      if (ids.length === 0) return;
      try {
        await db
          .updateTable('outbox')
          .set({ status: 'sent', sent_at: deps.clock.now().toISOString(), last_error: null })
          .where('id', 'in', ids)
          .execute();
        report.sent += ids.length;
      } catch {
        // The mails went out; the rows keep their lease and go again, with the same Message-ID,
        // when it runs out. Mail systems drop the copies; nothing is lost.
        report.unmarked += ids.length;
      }
    };
    for (const row of claimed) {
      try {
        await deps.mailer.send(composeMail(row, deps.links, deps.clock.now()));
      } catch (error) {
        const permanent = isPermanentFailure(error) || row.attempts >= maxAttempts;
        const at = deps.clock.now();
        await db
          .updateTable('outbox')
          .set({
            ...(permanent
              ? { status: 'failed' as const }
              : {
                  next_attempt_at: new Date(
                    at.getTime() + retryDelayMs(row.attempts, options.backoff ?? DEFAULT_BACKOFF),
                  ).toISOString(),
                }),
            last_error: describeFailure(error),
          })
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .execute();
        report[permanent ? 'failed' : 'retried'] += 1;
        continue;
      }
      sent.push(row.id);
      if (sent.length >= markEvery) await markSent();
    }
    await markSent();
    if (claimed.length < batchSize) break;
  }
  return report;
}

/** The reason kept on the row and shown by `shanzhi mail status`: no addresses, one line. */
function describeFailure(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
  const parts = [e.responseCode, e.code, e.message].filter((p) => p !== undefined && p !== null);
  return redactAddresses(parts.map(String).join(' ').split('\n')[0] ?? 'unknown error').slice(0, 500);
}
