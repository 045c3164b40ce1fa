import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { periodsToAnchor } from '../../src/core/audit/anchor-periods.ts';
import { canonicalJson } from '../../src/core/audit/canonical.ts';
import { hashCaseEvent, type CaseEventFacts } from '../../src/core/audit/hashes.ts';
import { verifyCaseChain, type StoredEvent } from '../../src/core/audit/verify-case-chain.ts';
import { sha256 } from '../../src/db/sha256.ts';

test('the canonical form sorts keys at every depth, so jsonb and text payloads hash alike', () => {
  assert.equal(
    canonicalJson({ b: 1, a: [{ d: null, c: '井盖' }], e: undefined }),
    '{"a":[{"c":"井盖","d":null}],"b":1}',
  );
  assert.equal(sha256('abc'), createHash('sha256').update('abc').digest('hex'));
});

const facts = (version: number, payload: unknown = {}): CaseEventFacts => ({
  case_id: 'c-1',
  version,
  at: '2026-03-02T01:00:00.000Z',
  actor_user_id: null,
  actor_username: 'system',
  actor_role: 'county_centre',
  action: 'note',
  from_stage: 'reported',
  to_stage: 'reported',
  reason: null,
  payload,
});

function chain(n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev: string | null = null;
  for (let v = 1; v <= n; v++) {
    const hash = hashCaseEvent(sha256, prev, facts(v));
    events.push({ ...facts(v), id: v, prev_hash: prev, hash });
    prev = hash;
  }
  return events;
}

test('an event hashed with its keys in another order, or its time in another form, is the same event', () => {
  const a = hashCaseEvent(sha256, null, facts(1, { x: 1, y: [2] }));
  const b = hashCaseEvent(sha256, null, { ...facts(1, { y: [2], x: 1 }), at: '2026-03-02T09:00:00+08:00' });
  assert.equal(a, b);
});

test('the event after a removed one is not blamed, and a removed last event is named by the case row', () => {
  const events = chain(4);
  const head = { id: 'c-1', version: 4, last_event_hash: events[3]!.hash };
  assert.deepEqual(verifyCaseChain(sha256, head, events), []);
  assert.deepEqual(
    verifyCaseChain(sha256, head, [events[0]!, events[2]!, events[3]!]).map((i) => [i.kind, i.version]),
    [['event.missing', 2]],
  );
  assert.deepEqual(
    verifyCaseChain(sha256, head, events.slice(0, 3)).map((i) => [i.kind, i.version, i.to_version]),
    [['event.missing', 4, 4]],
  );
});

test('the days to anchor are the China days that ended ten minutes ago, from the day after the last anchor', () => {
  const earliest = new Date('2026-03-01T17:00:00Z'); // 2 March, 01:00 in China
  assert.deepEqual(periodsToAnchor(null, earliest, new Date('2026-03-02T16:05:00Z')), [], 'not settled yet');
  const first = periodsToAnchor(null, earliest, new Date('2026-03-03T16:20:00Z'));
  assert.deepEqual(first, [
    { period: '2026-03-02', from_at: null, until_at: '2026-03-02T16:00:00.000Z' },
    { period: '2026-03-03', from_at: '2026-03-02T16:00:00.000Z', until_at: '2026-03-03T16:00:00.000Z' },
  ]);
  assert.deepEqual(
    periodsToAnchor(first[1]!, null, new Date('2026-03-04T16:20:00Z')).map((p) => p.period),
    ['2026-03-04'],
  );
});
