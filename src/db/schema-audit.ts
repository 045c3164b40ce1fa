import type { Generated } from 'kysely';

/** Table types of migration 0027-audit-chains (src/db/schema.ts puts them into `Database`). */

/** The head of a chain every writer locks and moves: 'audit_log', the table's one chain. */
export interface AuditHeadTable {
  name: string;
  last_id: number | null;
  hash: string | null;
}

/** A day's anchor: the last hash of every case with events that day, and the audit_log head. */
export interface AuditAnchorTable {
  id: Generated<number>;
  /** The China day, YYYY-MM-DD. */
  period: string;
  /** Null for the first anchor, which covers everything before `until_at`. */
  from_at: string | null;
  until_at: string;
  cases: number;
  cases_digest: string;
  audit_log_id: number | null;
  audit_log_hash: string | null;
  prev_digest: string | null;
  digest: string;
  created_at: string;
}
