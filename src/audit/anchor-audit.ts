import type { Clock } from '../core/clock.ts';
import { periodsToAnchor } from '../core/audit/anchor-periods.ts';
import { hashAnchor } from '../core/audit/hashes.ts';
import type { StoredAnchor } from '../core/audit/verify-anchors.ts';
import type { Store } from '../db/database.ts';
import { isUniqueViolation, readTimestamp } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { sha256 } from '../db/sha256.ts';
import { appendAnchorLines } from './anchor-file.ts';
import { countPeriod } from './count-period.ts';

export interface AnchorReport {
  anchored: StoredAnchor[];
}

/**
 * Anchors every China day not anchored yet that ended ANCHOR_SETTLE_MS ago (docs/audit.md): per
 * day, the digest of each case's last event hash that day and the audit_log's head, chained to
 * the day before, in audit_anchors and, when `file` is given, appended to that file. Run by the
 * server's hourly job and by `shanzhi audit anchor`; a second run finds nothing to do.
 *
 * The days are counted before the transaction (a year to catch up after the demo's seeding reads
 * a year of events) and written in one short one, which refuses when another run anchored first.
 */
export async function anchorAudit(
  deps: { store: Pick<Store, 'db'>; clock: Clock },
  options: { file?: string | null | undefined } = {},
): Promise<AnchorReport> {
  const { db } = deps.store;
  const last = await lastAnchor(db);
  const earliest = last ? null : await earliestRow(db);
  const periods = periodsToAnchor(last, earliest, deps.clock.now());
  if (periods.length === 0) return { anchored: [] };
  const anchored: StoredAnchor[] = [];
  let prev = last?.digest ?? null;
  for (const p of periods) {
    const count = await countPeriod(db, p.from_at, p.until_at);
    const facts = { ...p, ...count };
    const digest = hashAnchor(sha256, prev, facts);
    anchored.push({ ...facts, prev_digest: prev, digest });
    prev = digest;
  }
  const createdAt = deps.clock.now().toISOString();
  const written = await db
    .transaction()
    .execute(async (tx) => {
      const now = await lastAnchor(tx);
      if ((now?.digest ?? null) !== (last?.digest ?? null)) return false;
      await tx
        .insertInto('audit_anchors')
        .values(anchored.map((a) => ({ ...a, created_at: createdAt })))
        .execute();
      return true;
    })
    // Another server's run, committed after this one read the last anchor, took the period first
    // (on PostgreSQL the unique period makes this insert wait for it, then refuse).
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) return false;
      throw error;
    });
  if (!written) return { anchored: [] };
  if (options.file) appendAnchorLines(options.file, anchored);
  return { anchored };
}

async function lastAnchor(db: DbOrTx): Promise<{ period: string; until_at: string; digest: string } | null> {
  const row = await db
    .selectFrom('audit_anchors')
    .select(['period', 'until_at', 'digest'])
    .orderBy('until_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { ...row, until_at: readTimestamp(row.until_at) } : null;
}

/** The time of the oldest event or audit row: the first anchor starts on its day. */
async function earliestRow(db: DbOrTx): Promise<Date | null> {
  // Serves: case_events_at_idx; audit_log is small and read once.
  const event = await db
    .selectFrom('case_events')
    .select((eb) => eb.fn.min('at').as('at'))
    .executeTakeFirst();
  const audit = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.min('at').as('at'))
    .executeTakeFirst();
  const times = [event?.at, audit?.at]
    .filter((t) => t !== null && t !== undefined)
    .map((t) => Date.parse(readTimestamp(t)));
  return times.length === 0 ? null : new Date(Math.min(...times));
}
