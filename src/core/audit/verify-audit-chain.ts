import { hashAuditEntry, type AuditEntryFacts, type Hash, type Sha256 } from './hashes.ts';
import type { AuditIssue } from './issues.ts';

export interface StoredAuditRow extends AuditEntryFacts {
  id: number;
  prev_hash: Hash | null;
  hash: Hash | null;
}

/** Where a walk of the audit_log chain stands: the last row read (null before the first). */
export type AuditTail = { id: number; hash: Hash | null } | null;

/**
 * Checks one page of audit_log rows (in id order) against their hashes and the row before them,
 * `tail` being the last row of the page before. Returns the issues and the new tail, so that the
 * table is read page by page.
 */
export function verifyAuditRows(
  sha256: Sha256,
  tail: AuditTail,
  rows: readonly StoredAuditRow[],
): { issues: AuditIssue[]; tail: AuditTail } {
  const issues: AuditIssue[] = [];
  let last = tail;
  for (const r of rows) {
    if (r.hash === null) {
      issues.push({ kind: 'audit.unchained', row_id: r.id });
    } else if (hashAuditEntry(sha256, r.prev_hash, r) !== r.hash) {
      issues.push({ kind: 'audit.changed', row_id: r.id, expected: r.hash });
    } else if (r.prev_hash !== (last?.hash ?? null)) {
      issues.push({ kind: 'audit.link', row_id: r.id, expected: last?.hash ?? null, found: r.prev_hash });
    }
    last = { id: r.id, hash: r.hash };
  }
  return { issues, tail: last };
}

/**
 * The chain's head (the row every audit write locks and moves, migration 0027) against the last
 * row of the table: rows removed from the end, or appended past the chain, leave them apart.
 */
export function verifyAuditHead(
  head: { last_id: number | null; hash: Hash | null } | null,
  tail: AuditTail,
): AuditIssue[] {
  const headId = head?.last_id ?? null;
  const tailId = tail?.id ?? null;
  if (headId === tailId && (head?.hash ?? null) === (tail?.hash ?? null)) return [];
  return [{ kind: 'audit.head', row_id: tailId ?? headId ?? 0, expected: headId, found: tailId }];
}
