import type { Clock } from '../core/clock.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';

export interface OutboxStatus {
  pending: number;
  sent: number;
  failed: number;
  /** When the oldest pending mail was written; null when none waits. */
  oldest_pending: string | null;
  /** The latest failures: kind and reason, never an address. */
  recent_failures: Array<{ id: string; kind: string; attempts: number; last_error: string | null }>;
}

/** What the outbox holds, for operators (`shanzhi mail status`). */
export async function outboxStatus(db: DbOrTx): Promise<OutboxStatus> {
  const counts = await db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .groupBy('status')
    .execute();
  const of = (s: string) => counts.find((c) => c.status === s);
  const failures = await db
    .selectFrom('outbox')
    .select(['id', 'kind', 'attempts', 'last_error'])
    .where('status', '=', 'failed')
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  const oldest = of('pending')?.oldest;
  return {
    pending: Number(of('pending')?.n ?? 0),
    sent: Number(of('sent')?.n ?? 0),
    failed: Number(of('failed')?.n ?? 0),
    oldest_pending: oldest ? readTimestamp(oldest) : null,
    recent_failures: failures,
  };
}

/** Failed mail goes back to pending with fresh attempts (after fixing SMTP settings, say). */
export async function retryFailedMail(deps: { db: DbOrTx; clock: Clock }): Promise<number> {
  const result = await deps.db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: deps.clock.now().toISOString() })
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
