import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeIndicators, countCase, type CaseFacts } from '../../src/core/indicators/indicators.ts';
import { chinaDay, splitPeriod } from '../../src/core/indicators/period.ts';

const H = (h: number) => new Date(Date.parse('2026-03-02T00:00:00Z') + h * 3600_000).toISOString();

function makeFacts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    stage: 'reported',
    reported_at: H(0),
    registered_at: null,
    dispatched_at: null,
    accepted_at: null,
    feedback_at: null,
    closed_at: null,
    handling_deadline: null,
    return_count: 0,
    rework_count: 0,
    dispatch_overridden: 0,
    rating: null,
    rated_fixed: null,
    ...overrides,
  };
}

const closedCase = (overrides: Partial<CaseFacts> = {}) =>
  makeFacts({
    stage: 'closed',
    registered_at: H(1),
    dispatched_at: H(2),
    accepted_at: H(3),
    feedback_at: H(12),
    closed_at: H(14),
    handling_deadline: H(26),
    ...overrides,
  });

test('立案率 is registered over the reports decided at intake; undecided and merged reports stay out', () => {
  const r = computeIndicators([
    closedCase(),
    makeFacts({ stage: 'registered', registered_at: H(1) }),
    makeFacts({ stage: 'voided' }),
    makeFacts({ stage: 'reported' }),
    makeFacts({ stage: 'merged' }),
  ]).registration_rate;
  assert.deepEqual([r.numerator, r.denominator, r.value], [2, 3, 2 / 3]);
});

test('a returned or hand-corrected dispatch is not accurate', () => {
  const r = computeIndicators([
    closedCase(),
    closedCase({ return_count: 1 }),
    closedCase({ dispatch_overridden: 1 }),
    closedCase(),
  ]).dispatch_accuracy;
  assert.deepEqual([r.numerator, r.denominator], [2, 4]);
});

test('按期处置率 counts feedback by the deadline over all cases that should be handled, open ones included', () => {
  const r = computeIndicators([
    closedCase(), // on time
    closedCase({ feedback_at: H(30), closed_at: H(31) }), // late
    closedCase({ handling_deadline: null }), // no deadline: cannot be shown on time
    makeFacts({ stage: 'handling', registered_at: H(1), dispatched_at: H(2), accepted_at: H(3) }), // still open
    makeFacts({ stage: 'parked', registered_at: H(1), dispatched_at: H(2) }), // 挂账: not held against anyone
  ]);
  assert.deepEqual([r.on_time_handling_rate.numerator, r.on_time_handling_rate.denominator], [1, 4]);
  assert.deepEqual([r.handling_rate.numerator, r.handling_rate.denominator], [3, 4]);
  assert.deepEqual([r.closure_rate.numerator, r.closure_rate.denominator], [3, 4]);
  assert.deepEqual([r.on_time_closure_rate.numerator, r.on_time_closure_rate.denominator], [1, 4]);
});

test('返工率 is handled cases with a rework over handled cases', () => {
  const r = computeIndicators([
    closedCase({ rework_count: 2 }),
    closedCase(),
    closedCase(),
    closedCase(),
  ]).rework_rate;
  assert.deepEqual([r.numerator, r.denominator, r.value], [1, 4, 0.25]);
});

test('平均处置时长 is the mean of dispatch-to-feedback hours over handled cases', () => {
  const r = computeIndicators([closedCase(), closedCase({ feedback_at: H(22) })]).avg_handling_hours;
  assert.deepEqual([r.numerator, r.denominator, r.value], [30, 2, 15]);
});

test('响应率 counts acceptance within 24 hours of dispatch over dispatched cases', () => {
  const r = computeIndicators([
    closedCase(),
    closedCase({ accepted_at: H(2 + 24) }),
    closedCase({ accepted_at: H(2 + 25), feedback_at: H(30) }),
    makeFacts({ stage: 'dispatched', registered_at: H(1), dispatched_at: H(2) }),
  ]).response_rate;
  assert.deepEqual([r.numerator, r.denominator], [2, 4]);
});

test('closed but not fixed is never resolved, even when a fixed verdict was recorded', () => {
  const r = computeIndicators([
    closedCase({ rated_fixed: 1 }),
    closedCase({ rated_fixed: 0 }),
    closedCase({ stage: 'closed_unfixed', rated_fixed: 1 }),
    closedCase({ stage: 'closed_unfixed' }), // no rating, but the resident's "not fixed" is a verdict
    closedCase(), // closed, unrated: no verdict either way
  ]);
  assert.deepEqual([r.resolution_rate.numerator, r.resolution_rate.denominator], [1, 4]);
  assert.equal(countCase(closedCase({ stage: 'closed_unfixed', rated_fixed: 1 })).resolved, 0);
  // Closure is closure: 结案率 counts both, resolution does not.
  assert.equal(r.closure_rate.numerator, 5);
});

test('满意率 counts ratings of 4 and 5 over rated cases', () => {
  const r = computeIndicators(
    [1, 2, 3, 4, 5, null].map((rating) => closedCase({ rating })),
  ).satisfaction_rate;
  assert.deepEqual([r.numerator, r.denominator, r.value], [2, 5, 0.4]);
});

test('a rate below the minimum sample is shown but marked not meaningful; an empty one is null', () => {
  const few = computeIndicators(Array.from({ length: 29 }, () => closedCase()));
  assert.equal(few.closure_rate.value, 1);
  assert.equal(few.closure_rate.meaningful, false);
  const enough = computeIndicators(Array.from({ length: 30 }, () => closedCase()));
  assert.equal(enough.closure_rate.meaningful, true);
  assert.equal(computeIndicators([closedCase()], { minSample: 1 }).closure_rate.meaningful, true);
  const none = computeIndicators([]);
  assert.equal(none.satisfaction_rate.value, null);
  assert.equal(none.satisfaction_rate.meaningful, false);
});

test('every numerator stays within its denominator whatever the case looks like', () => {
  const stages = [
    'reported',
    'registered',
    'handling',
    'closed',
    'closed_unfixed',
    'parked',
    'voided',
    'merged',
  ];
  for (const stage of stages) {
    for (const c of [
      closedCase({ stage }),
      makeFacts({ stage }),
      closedCase({ stage, dispatched_at: null }),
    ]) {
      for (const [key, r] of Object.entries(computeIndicators([c]))) {
        if (key !== 'avg_handling_hours') assert.ok(r.numerator <= r.denominator, `${key} of ${stage}`);
      }
    }
  }
});

test('a case belongs to the China-time day it was reported on', () => {
  assert.equal(chinaDay('2026-02-28T15:59:59.999Z'), '2026-02-28');
  assert.equal(chinaDay('2026-02-28T16:00:00.000Z'), '2026-03-01');
});

test('a period splits into whole months and loose days', () => {
  assert.deepEqual(splitPeriod('2026-01-01', '2026-12-31'), {
    months: { first: '2026-01-01', last: '2026-12-01' },
    days: [],
  });
  assert.deepEqual(splitPeriod('2025-11-15', '2026-02-10'), {
    months: { first: '2025-12-01', last: '2026-01-01' },
    days: [
      { first: '2025-11-15', last: '2025-11-30' },
      { first: '2026-02-01', last: '2026-02-10' },
    ],
  });
  assert.deepEqual(splitPeriod('2026-03-05', '2026-03-20'), {
    months: null,
    days: [{ first: '2026-03-05', last: '2026-03-20' }],
  });
  assert.deepEqual(splitPeriod('2026-02-01', '2026-02-28'), {
    months: { first: '2026-02-01', last: '2026-02-01' },
    days: [],
  });
});
