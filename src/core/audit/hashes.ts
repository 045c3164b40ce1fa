import { canonicalInstant, canonicalJson } from './canonical.ts';

/** SHA-256 as lowercase hex: 64 characters, the width of every hash column (migration 0027). */
export type Hash = string;

/**
 * SHA-256 of a UTF-8 text, as hex. Core does no I/O and imports no Node built-ins, so the function
 * comes from the caller (src/db/sha256.ts wraps node:crypto); the texts it is applied to are here.
 */
export type Sha256 = (text: string) => Hash;

/** The columns of a case event that its hash covers: all of them but the row id and the hashes. */
export interface CaseEventFacts {
  case_id: string;
  version: number;
  at: string;
  actor_user_id: string | null;
  actor_username: string;
  actor_role: string;
  action: string;
  from_stage: string | null;
  to_stage: string;
  reason: string | null;
  /** The payload as parsed JSON (never the stored text: jsonb and text differ in spacing and order). */
  payload: unknown;
}

/**
 * The columns of an audit_log row that its hash covers. The row id is left out: the database
 * assigns it at insert, after the hash is taken; the chain's order is the id order.
 */
export interface AuditEntryFacts {
  at: string;
  actor_user_id: string | null;
  actor_username: string;
  action: string;
  target_type: string;
  target_id: string;
  details: unknown;
}

/**
 * The hash of a case event: SHA-256 over the previous event's hash (empty for the report, version
 * 1) and the canonical form of the event's columns. The version is inside, so an event moved to
 * another place in its case no longer matches its hash; the previous hash is inside, so an event
 * removed or inserted before it breaks the link.
 */
export function hashCaseEvent(sha256: Sha256, prev: Hash | null, e: CaseEventFacts): Hash {
  const fields = [
    'shanzhi.case_event.v1',
    e.case_id,
    e.version,
    canonicalInstant(e.at),
    e.actor_user_id,
    e.actor_username,
    e.actor_role,
    e.action,
    e.from_stage,
    e.to_stage,
    e.reason,
  ];
  return sha256(`${prev ?? ''}\n${JSON.stringify(fields)}\n${canonicalJson(e.payload)}`);
}

/** The hash of an audit_log row, chained over the whole table in id order like a case's events. */
export function hashAuditEntry(sha256: Sha256, prev: Hash | null, e: AuditEntryFacts): Hash {
  const fields = [
    'shanzhi.audit_log.v1',
    canonicalInstant(e.at),
    e.actor_user_id,
    e.actor_username,
    e.action,
    e.target_type,
    e.target_id,
  ];
  return sha256(`${prev ?? ''}\n${JSON.stringify(fields)}\n${canonicalJson(e.details)}`);
}

/** One case in an anchor: the last event it had in the anchored period. */
export interface AnchorEntry {
  case_id: string;
  version: number;
  hash: Hash;
}

/**
 * What the events of a period add up to: for every case with an event in the period, its last
 * such event (case, version, hash), in case-id order (code units, not a database collation), one
 * line each, hashed. The same events give the same digest on either store.
 */
export function digestEntries(
  sha256: Sha256,
  events: Iterable<AnchorEntry>,
): { cases: number; digest: Hash } {
  const last = new Map<string, AnchorEntry>();
  for (const e of events) {
    const seen = last.get(e.case_id);
    if (!seen || seen.version < e.version) last.set(e.case_id, e);
  }
  const ids = [...last.keys()].sort();
  const lines = ids.map((id) => {
    const e = last.get(id)!;
    return `${id} ${e.version} ${e.hash ?? ''}\n`;
  });
  return { cases: ids.length, digest: sha256(`shanzhi.anchor_cases.v1\n${lines.join('')}`) };
}

/** The columns of an anchor its digest covers. */
export interface AnchorFacts {
  period: string;
  from_at: string | null;
  until_at: string;
  cases: number;
  cases_digest: Hash;
  audit_log_id: number | null;
  audit_log_hash: Hash | null;
}

/**
 * An anchor's digest: over the previous anchor's digest and its own columns, so that anchors form
 * one chain too and a copy of the latest digest outside the database vouches for all before it.
 */
export function hashAnchor(sha256: Sha256, prev: Hash | null, a: AnchorFacts): Hash {
  const fields = [
    'shanzhi.audit_anchor.v1',
    a.period,
    a.from_at === null ? null : canonicalInstant(a.from_at),
    canonicalInstant(a.until_at),
    a.cases,
    a.cases_digest,
    a.audit_log_id,
    a.audit_log_hash,
  ];
  return sha256(`${prev ?? ''}\n${JSON.stringify(fields)}`);
}
