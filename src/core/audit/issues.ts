/**
 * What the verifier can find wrong (docs/audit.md). Each names the row: a case and the version of
 * one of its events, an audit_log row id, or an anchor's period.
 */
export const ISSUE_KINDS = [
  /** The event's columns no longer give its hash: edited, or forged without the right hash. */
  'event.changed',
  /** The event's hash is that of another version of the case: events reordered. */
  'event.moved',
  /** The event does not follow the one before it: an event before it was removed or inserted. */
  'event.link',
  /** Versions the case went through have no event: removed. */
  'event.missing',
  /** An event beyond the case's own version, or a version out of sequence: inserted. */
  'event.extra',
  /** An event without a hash, written past the chain. */
  'event.unchained',
  /** The case row's last event hash is not that of its last event. */
  'case.head',
  'audit.changed',
  'audit.link',
  'audit.unchained',
  /** The audit chain's head names a row that is not the table's last. */
  'audit.head',
  /** An anchor's columns no longer give its digest. */
  'anchor.changed',
  /** An anchor does not follow the one before it: an anchor removed or inserted. */
  'anchor.link',
  /** The events of an anchored period no longer add up to the anchor's digest. */
  'anchor.events',
  /** The audit_log row an anchor recorded is gone or has another hash. */
  'anchor.audit_log',
  /** The anchor file outside the database has no line, or another digest, for an anchor. */
  'anchor.file',
  /** The anchor file has a line for a period the database has no anchor of. */
  'anchor.removed',
] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

export interface AuditIssue {
  kind: IssueKind;
  case_id?: string;
  /** The event's version (for event.missing: the first missing one). */
  version?: number;
  /** The last missing version of an event.missing range. */
  to_version?: number;
  /** The database id of the event or audit_log row. */
  row_id?: number;
  period?: string;
  /** What the verifier expected and found, where it is a single value (a version, a hash). */
  expected?: string | number | null;
  found?: string | number | null;
}
