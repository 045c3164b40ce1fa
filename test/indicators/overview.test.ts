import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bucketStart,
  categoryGroup,
  countsIn,
  stateOf,
  trendBuckets,
  type OverviewFacts,
} from '../../src/core/indicators/overview.ts';

const NOW = new Date('2026-03-05T01:00:00Z');

function makeCase(over: Partial<OverviewFacts> = {}): OverviewFacts {
  return {
    stage: 'handling',
    reported_at: '2026-03-02T01:00:00Z',
    registered_at: '2026-03-02T02:00:00Z',
    dispatched_at: '2026-03-02T03:00:00Z',
    accepted_at: '2026-03-02T04:00:00Z',
    feedback_at: null,
    closed_at: null,
    handling_deadline: '2026-03-04T03:00:00Z',
    return_count: 0,
    rework_count: 0,
    dispatch_overridden: 0,
    rating: null,
    rated_fixed: null,
    stage_deadline: '2026-03-04T03:00:00Z',
    escalation_level: 0,
    supervised: false,
    category_code: 'SJ0102',
    channel: 'web',
    dispatched_to: ['dept-a'],
    returned_by: [],
    ...over,
  };
}

test('a case is overdue when its running clock is past the deadline; parked and final stages never are', () => {
  assert.equal(stateOf(makeCase(), NOW).overdue, 1);
  assert.equal(stateOf(makeCase({ stage_deadline: '2026-03-06T00:00:00Z' }), NOW).overdue, 0);
  for (const stage of ['parked', 'closed', 'closed_unfixed', 'voided', 'merged'])
    assert.equal(stateOf(makeCase({ stage }), NOW).overdue, 0, stage);
  assert.equal(stateOf(makeCase({ stage: 'closed' }), NOW).open, 0);
  assert.equal(stateOf(makeCase({ stage: 'parked' }), NOW).open, 1, 'parked is still open');
});

test('returns belong to the department that returned, dispatches to every department dispatched to', () => {
  const c = makeCase({ dispatched_to: ['dept-a', 'dept-b'], returned_by: ['dept-a'], return_count: 1 });
  assert.equal(countsIn(c, 'returned', NOW, 'dept-a'), true);
  assert.equal(countsIn(c, 'returned', NOW, 'dept-b'), false);
  assert.equal(countsIn(c, 'returned', NOW), true);
  assert.equal(countsIn(c, 'dispatched_to', NOW, 'dept-b'), true);
  assert.equal(countsIn(makeCase(), 'returned', NOW), false);
});

test('base counts of the indicators count as the indicators do', () => {
  const late = makeCase({ stage: 'awaiting_verification', feedback_at: '2026-03-04T05:00:00Z' });
  assert.equal(countsIn(late, 'should_handle', NOW), true);
  assert.equal(countsIn(late, 'handled_on_time', NOW), false);
  const onTime = makeCase({ stage: 'closed', feedback_at: '2026-03-03T05:00:00Z' });
  assert.equal(countsIn(onTime, 'handled_on_time', NOW), true);
  assert.equal(countsIn(onTime, 'closed', NOW), true);
});

test('weeks start on Monday and months on the 1st; the buckets are clipped to the period', () => {
  assert.equal(bucketStart('2026-03-01', 'week'), '2026-02-23'); // a Sunday
  assert.equal(bucketStart('2026-03-02', 'week'), '2026-03-02'); // a Monday
  assert.equal(bucketStart('2026-03-31', 'month'), '2026-03-01');
  assert.deepEqual(trendBuckets('2026-03-01', '2026-03-10', 'week'), [
    { start: '2026-02-23', first: '2026-03-01', last: '2026-03-01' },
    { start: '2026-03-02', first: '2026-03-02', last: '2026-03-08' },
    { start: '2026-03-09', first: '2026-03-09', last: '2026-03-10' },
  ]);
  const months = trendBuckets('2025-12-15', '2026-02-28', 'month');
  assert.deepEqual(
    months.map((b) => [b.first, b.last]),
    [
      ['2025-12-15', '2025-12-31'],
      ['2026-01-01', '2026-01-31'],
      ['2026-02-01', '2026-02-28'],
    ],
  );
  assert.equal(trendBuckets('2028-01-01', '2028-12-31', 'day').length, 366);
});

test('the category mix groups by the 二级 category', () => {
  assert.equal(categoryGroup('BJ0302'), 'BJ03');
  assert.equal(categoryGroup('BJ'), 'BJ');
  assert.equal(categoryGroup(null), null);
});
