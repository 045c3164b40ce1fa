import { hashCaseEvent, type CaseEventFacts, type Hash, type Sha256 } from './hashes.ts';
import type { AuditIssue } from './issues.ts';

export interface StoredEvent extends CaseEventFacts {
  id: number;
  prev_hash: Hash | null;
  hash: Hash | null;
}

/** The case row's side of its chain: the version it is at and the hash of its last event. */
export interface CaseHead {
  id: string;
  version: number;
  last_event_hash: Hash | null;
}

/**
 * Checks one case's events (in version order, as read) against their hashes, each other and the
 * case row. One issue per event at most, the most telling one: an event whose content fails its
 * hash is not also blamed for its link, and the event after a gap, or after an event moved or
 * changed, is not blamed for the break the one before it already explains.
 */
export function verifyCaseChain(
  sha256: Sha256,
  head: CaseHead,
  events: readonly StoredEvent[],
): AuditIssue[] {
  const issues: AuditIssue[] = [];
  const at = (e: StoredEvent) => ({ case_id: head.id, version: e.version, row_id: e.id });
  const top = Math.max(head.version, events.at(-1)?.version ?? 0);
  let expected = 1;
  let prev: StoredEvent | null = null;
  let prevFlagged = false;
  for (const e of events) {
    const before = issues.length;
    if (e.version < expected || e.version > head.version) {
      issues.push({ kind: 'event.extra', ...at(e), expected: head.version });
      continue;
    }
    const gap = e.version > expected;
    if (gap) {
      issues.push({ kind: 'event.missing', case_id: head.id, version: expected, to_version: e.version - 1 });
    }
    if (e.hash === null) {
      issues.push({ kind: 'event.unchained', ...at(e) });
    } else if (hashCaseEvent(sha256, e.prev_hash, e) !== e.hash) {
      const written = writtenAs(sha256, e, top);
      issues.push(
        written === null
          ? { kind: 'event.changed', ...at(e), expected: e.hash }
          : { kind: 'event.moved', ...at(e), expected: written, found: e.version },
      );
    } else if (!gap && !prevFlagged && e.prev_hash !== (prev?.hash ?? null)) {
      issues.push({ kind: 'event.link', ...at(e), expected: prev?.hash ?? null, found: e.prev_hash });
    }
    prevFlagged = issues.length > before;
    prev = e;
    expected = e.version + 1;
  }
  if (expected <= head.version) {
    issues.push({ kind: 'event.missing', case_id: head.id, version: expected, to_version: head.version });
  } else if (prev !== null && prev.hash !== head.last_event_hash) {
    issues.push({
      kind: 'case.head',
      case_id: head.id,
      version: head.version,
      expected: head.last_event_hash,
      found: prev.hash,
    });
  }
  return issues;
}

/** The version an event's hash was taken at, when it is another one of the case's (a swap). */
function writtenAs(sha256: Sha256, e: StoredEvent, top: number): number | null {
  for (let v = 1; v <= top; v++) {
    if (v !== e.version && hashCaseEvent(sha256, e.prev_hash, { ...e, version: v }) === e.hash) return v;
  }
  return null;
}
