import type { AuditIssue } from '../core/audit/issues.ts';
import { verifyAnchors, type AnchorLine, type StoredAnchor } from '../core/audit/verify-anchors.ts';
import { verifyAuditHead, verifyAuditRows, type AuditTail } from '../core/audit/verify-audit-chain.ts';
import { verifyCaseChain, type StoredEvent } from '../core/audit/verify-case-chain.ts';
import { DomainError } from '../core/errors.ts';
import { readJson, readTimestamp } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { sha256 } from '../db/sha256.ts';
import { readAnchorFile } from './anchor-file.ts';
import { countPeriod } from './count-period.ts';

export interface VerifyOptions {
  /** Only this case's events (and its row); without it, every case, the audit_log and the anchors. */
  caseId?: string | undefined;
  /** The anchor file to hold the anchors against (SHANZHI_AUDIT_ANCHOR_FILE), if there is one. */
  anchorFile?: string | null | undefined;
  /** Cases read per page. */
  batchSize?: number;
}

export interface VerifyReport {
  cases: number;
  events: number;
  audit_rows: number;
  anchors: number;
  issues: AuditIssue[];
}

/**
 * Reads the chains back and checks them (src/core/audit, docs/audit.md): every case's events
 * against their hashes, each other and the case row; the audit_log against its hashes and head;
 * the anchors against their digests, the events and rows they vouch for, and the anchor file.
 * Reads page by page (cases in primary-key order, their events by case_events_case_idx), so the
 * memory it takes does not grow with the database; the time does, about one read of each row.
 */
export async function verifyAudit(deps: { db: DbOrTx }, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { db } = deps;
  const report: VerifyReport = { cases: 0, events: 0, audit_rows: 0, anchors: 0, issues: [] };
  if (options.caseId !== undefined) {
    const head = await db
      .selectFrom('cases')
      .select(['id', 'version', 'last_event_hash'])
      .where('id', '=', options.caseId)
      .executeTakeFirst();
    if (!head) throw new DomainError('case.not_found', { id: options.caseId });
    await verifyCases(db, [head], report);
    return report;
  }
  const batch = options.batchSize ?? 500;
  let after = '';
  for (;;) {
    const heads = await db
      .selectFrom('cases')
      .select(['id', 'version', 'last_event_hash'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (heads.length === 0) break;
    await verifyCases(db, heads, report);
    after = heads.at(-1)!.id;
  }
  await verifyAuditLog(db, batch, report);
  await verifyAnchorChain(db, options.anchorFile ?? null, report);
  return report;
}

async function verifyCases(
  db: DbOrTx,
  heads: ReadonlyArray<{ id: string; version: number; last_event_hash: string | null }>,
  report: VerifyReport,
): Promise<void> {
  // Serves: case_events_case_idx (case_id, version).
  const rows = await db
    .selectFrom('case_events')
    .selectAll()
    .where(
      'case_id',
      'in',
      heads.map((h) => h.id),
    )
    .orderBy('case_id')
    .orderBy('version')
    .execute();
  const byCase = new Map<string, StoredEvent[]>();
  for (const r of rows) {
    const event: StoredEvent = {
      ...r,
      id: Number(r.id),
      version: Number(r.version),
      at: readTimestamp(r.at),
      payload: readJson(r.payload),
    };
    const list = byCase.get(r.case_id);
    if (list) list.push(event);
    else byCase.set(r.case_id, [event]);
  }
  for (const head of heads) {
    report.issues.push(
      ...verifyCaseChain(sha256, { ...head, version: Number(head.version) }, byCase.get(head.id) ?? []),
    );
  }
  report.cases += heads.length;
  report.events += rows.length;
}

async function verifyAuditLog(db: DbOrTx, batch: number, report: VerifyReport): Promise<void> {
  let tail: AuditTail = null;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', tail?.id ?? 0)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) break;
    const checked = verifyAuditRows(
      sha256,
      tail,
      rows.map((r) => ({ ...r, id: Number(r.id), at: readTimestamp(r.at), details: readJson(r.details) })),
    );
    report.issues.push(...checked.issues);
    report.audit_rows += rows.length;
    tail = checked.tail;
  }
  const head = await db
    .selectFrom('audit_heads')
    .select(['last_id', 'hash'])
    .where('name', '=', 'audit_log')
    .executeTakeFirst();
  report.issues.push(
    ...verifyAuditHead(
      head ? { last_id: head.last_id === null ? null : Number(head.last_id), hash: head.hash } : null,
      tail,
    ),
  );
}

async function verifyAnchorChain(db: DbOrTx, file: string | null, report: VerifyReport): Promise<void> {
  const rows = await db.selectFrom('audit_anchors').selectAll().orderBy('until_at').execute();
  const anchors: StoredAnchor[] = rows.map((a) => ({
    period: a.period,
    from_at: a.from_at === null ? null : readTimestamp(a.from_at),
    until_at: readTimestamp(a.until_at),
    cases: Number(a.cases),
    cases_digest: a.cases_digest,
    audit_log_id: a.audit_log_id === null ? null : Number(a.audit_log_id),
    audit_log_hash: a.audit_log_hash,
    prev_digest: a.prev_digest,
    digest: a.digest,
  }));
  const recounts = [];
  for (const a of anchors) {
    const count = await countPeriod(db, a.from_at, a.until_at);
    const recorded =
      a.audit_log_id === null
        ? null
        : await db.selectFrom('audit_log').select('hash').where('id', '=', a.audit_log_id).executeTakeFirst();
    recounts.push({ ...count, recorded_audit_log_hash: recorded?.hash ?? null });
  }
  const lines: AnchorLine[] | null = file ? readAnchorFile(file) : null;
  report.issues.push(...verifyAnchors(sha256, anchors, recounts, lines));
  report.anchors = anchors.length;
}
