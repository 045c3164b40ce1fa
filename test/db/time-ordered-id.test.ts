import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeOrderedId } from '../../src/db/time-ordered-id.ts';

test('time-ordered ids are RFC 9562 version 7 UUIDs that sort by their millisecond and never repeat', () => {
  const start = Date.parse('2026-03-01T00:00:00Z');
  const ids = Array.from({ length: 10_000 }, (_, i) => timeOrderedId(start + Math.floor(i / 10)));
  for (const id of ids)
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
  // The first 48 bits are the milliseconds: later ids sort after earlier ones.
  assert.equal(Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16), start);
  for (let i = 10; i < ids.length; i += 10) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
});
