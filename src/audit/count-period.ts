import { digestEntries, type AnchorEntry } from '../core/audit/hashes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { sha256 } from '../db/sha256.ts';

export interface PeriodCount {
  cases: number;
  cases_digest: string;
  audit_log_id: number | null;
  audit_log_hash: string | null;
}

/**
 * What an anchor vouches for, read from the database: the last event in [from, until) of every
 * case with one (digestEntries) and the audit_log's last row before `until`. The anchor writes it
 * and the verifier reads it again; the same rows give the same figures.
 */
export async function countPeriod(db: DbOrTx, from: string | null, until: string): Promise<PeriodCount> {
  // Serves: case_events_at_idx (at).
  let query = db.selectFrom('case_events').select(['case_id', 'version', 'hash']).where('at', '<', until);
  if (from !== null) query = query.where('at', '>=', from);
  const events = await query.execute();
  const { cases, digest } = digestEntries(sha256, events as AnchorEntry[]);
  // The primary key read backwards: the rows of the last day come first.
  const audit = await db
    .selectFrom('audit_log')
    .select(['id', 'hash'])
    .where('at', '<', until)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    cases,
    cases_digest: digest,
    audit_log_id: audit ? Number(audit.id) : null,
    audit_log_hash: audit?.hash ?? null,
  };
}
