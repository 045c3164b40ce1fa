import { hashAnchor, type AnchorFacts, type Hash, type Sha256 } from './hashes.ts';
import type { AuditIssue } from './issues.ts';

export interface StoredAnchor extends AnchorFacts {
  prev_digest: Hash | null;
  digest: Hash;
}

/** What the database holds now for an anchor's period, counted again by the verifier. */
export interface AnchorRecount {
  cases: number;
  cases_digest: Hash;
  /** The last audit_log row before the period's end, as the anchor chose it. */
  audit_log_id: number | null;
  /** The hash the row the anchor recorded has now (null: gone). */
  recorded_audit_log_hash: Hash | null;
}

/** One line of the anchor file kept outside the database. */
export interface AnchorLine {
  period: string;
  digest: Hash;
}

/**
 * Checks the anchors (in period order) against their own digests, each other, the events and
 * audit rows they vouch for (`recounts`, one per anchor) and, when there is one, the file.
 */
export function verifyAnchors(
  sha256: Sha256,
  anchors: readonly StoredAnchor[],
  recounts: readonly AnchorRecount[],
  file: readonly AnchorLine[] | null,
): AuditIssue[] {
  const issues: AuditIssue[] = [];
  anchors.forEach((a, i) => {
    const before = i > 0 ? anchors[i - 1]! : null;
    const where = { period: a.period };
    if (hashAnchor(sha256, a.prev_digest, a) !== a.digest) {
      issues.push({ kind: 'anchor.changed', ...where, expected: a.digest });
    } else if (a.prev_digest !== (before?.digest ?? null) || a.from_at !== (before?.until_at ?? null)) {
      issues.push({ kind: 'anchor.link', ...where, expected: before?.period ?? null, found: a.prev_digest });
    }
    const recount = recounts[i]!;
    if (recount.cases_digest !== a.cases_digest) {
      issues.push({ kind: 'anchor.events', ...where, expected: a.cases, found: recount.cases });
    }
    if (recount.audit_log_id !== a.audit_log_id || recount.recorded_audit_log_hash !== a.audit_log_hash) {
      issues.push({
        kind: 'anchor.audit_log',
        ...where,
        expected: a.audit_log_id,
        found: recount.audit_log_id,
      });
    }
  });
  if (file !== null) {
    const lines = new Map(file.map((l) => [l.period, l.digest]));
    for (const a of anchors) {
      const digest = lines.get(a.period);
      if (digest !== a.digest) {
        issues.push({ kind: 'anchor.file', period: a.period, expected: digest ?? null, found: a.digest });
      }
    }
    const periods = new Set(anchors.map((a) => a.period));
    for (const l of file) {
      if (!periods.has(l.period))
        issues.push({ kind: 'anchor.removed', period: l.period, expected: l.digest });
    }
  }
  return issues;
}
