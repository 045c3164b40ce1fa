import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WEEKEND, DEFAULT_WORK_PERIODS } from '../../src/core/calendar/definition.ts';
import { buildCalendar } from '../../src/core/calendar/work-calendar.ts';
import { planSweep, type SweepInput } from '../../src/core/workflow/sweep.ts';
import { SHIPPED_YEARS } from '../../src/calendar/default-years.ts';

const calendar = buildCalendar({
  periods: [...DEFAULT_WORK_PERIODS],
  weekend: [...DEFAULT_WEEKEND],
  years: [...SHIPPED_YEARS],
});
const DAY = 86_400_000;
// A 10 work-hour handling limit started Monday 2026-03-02 08:30 (China time): due Tuesday 11:30.
const base: SweepInput = {
  stage_started_at: '2026-03-02T00:30:00.000Z',
  stage_deadline: '2026-03-03T03:30:00.000Z',
  notices_sent: 0,
  escalation_level: 0,
  limit: { amount: 10, unit: 'work_hours' },
  now: new Date('2026-03-02T01:00:00.000Z'),
  overdueMs: DAY,
};

test('before half of the limit nothing is due, and the next look is at the half-way point in working time', () => {
  const plan = planSweep(calendar, base);
  assert.deepEqual(plan.notices, []);
  // 5 work hours from Monday 08:30 is Monday 15:30 (3.5 h before lunch, 1.5 h after; lunch does not count).
  assert.equal(plan.next_check_at, '2026-03-02T07:30:00.000Z');
});

test('each threshold earns its notice once; planning twice gives nothing more', () => {
  const at80 = planSweep(calendar, { ...base, now: new Date('2026-03-03T02:00:00.000Z') });
  assert.deepEqual(at80.notices, [0.5, 0.8]);
  assert.equal(at80.next_check_at, '2026-03-03T03:30:00.000Z');
  const again = planSweep(calendar, {
    ...base,
    now: new Date('2026-03-03T02:00:00.000Z'),
    notices_sent: at80.notices_sent,
  });
  assert.deepEqual(again.notices, []);
});

test('an overdue stage climbs one command centre level per overdue period, up to the province', () => {
  const overdue = { ...base, notices_sent: 0b111 };
  const early = planSweep(calendar, { ...overdue, now: new Date('2026-03-03T05:00:00.000Z') });
  assert.equal(early.escalate, false);
  assert.equal(early.next_check_at, '2026-03-04T03:30:00.000Z');
  const county = planSweep(calendar, { ...overdue, now: new Date('2026-03-04T03:30:00.000Z') });
  assert.equal(county.escalate, true);
  assert.equal(county.next_check_at, '2026-03-05T03:30:00.000Z');
  const city = planSweep(calendar, {
    ...overdue,
    escalation_level: 1,
    now: new Date('2026-03-05T03:30:00.000Z'),
  });
  assert.deepEqual([city.escalate, city.next_check_at], [true, null]);
  const province = planSweep(calendar, {
    ...overdue,
    escalation_level: 2,
    now: new Date('2026-03-09T04:00:00.000Z'),
  });
  assert.deepEqual([province.escalate, province.next_check_at], [false, null]);
});

test('time paused is neither limit nor time used: the notices after a pause come by the clock that ran', () => {
  // Parked Monday 09:30 → Tuesday 09:30 (7 working hours): the deadline moved from Tuesday 11:30
  // to Wednesday 11:30. At Tuesday 10:00, 1 h + 0.5 h of the 10 have run: nothing is due.
  const resumed: SweepInput = {
    ...base,
    stage_deadline: '2026-03-04T03:30:00.000Z',
    paused_ms: 7 * 3_600_000,
    now: new Date('2026-03-03T02:00:00.000Z'),
  };
  const plan = planSweep(calendar, resumed);
  assert.deepEqual(plan.notices, []);
  // 5 h run is reached 5 + 7 working hours after Monday 08:30: Tuesday 15:30.
  assert.equal(plan.next_check_at, '2026-03-03T07:30:00.000Z');
  // Counting the pause as used would have sent the 50 % notice already.
  assert.deepEqual(planSweep(calendar, { ...resumed, paused_ms: 0 }).notices, [0.5]);
});
