import assert from 'node:assert/strict';
import { test } from 'node:test';
import { naiveAddDuration } from '../../bench/calendar.ts';
import { SHIPPED_YEARS } from '../../src/calendar/default-years.ts';
import { addDuration, elapsed, isWorkTime, type DeadlineUnit } from '../../src/core/calendar/deadlines.ts';
import {
  DEFAULT_WEEKEND,
  DEFAULT_WORK_PERIODS,
  formatCst,
  type WorkPeriod,
} from '../../src/core/calendar/definition.ts';
import { lightFor, pausedDeadline, trafficLight, type Pause } from '../../src/core/calendar/pauses.ts';
import { buildCalendar } from '../../src/core/calendar/work-calendar.ts';

const cal = buildCalendar({
  periods: [...DEFAULT_WORK_PERIODS],
  weekend: [...DEFAULT_WEEKEND],
  years: [...SHIPPED_YEARS],
});
const at = (local: string) => new Date(`${local}+08:00`);
const add = (start: string, amount: number, unit: DeadlineUnit) =>
  formatCst(addDuration(cal, at(start), amount, unit)).slice(0, 16);

test('work hours left on Friday continue on Monday morning', () => {
  // 2025-03-14 is a Friday: 1.5 h left that day, 2.5 h more from Monday 08:30.
  assert.equal(add('2025-03-14T16:00', 4, 'work_hours'), '2025-03-17T11:00');
});

test('an amount that ends with the morning period ends at 12:00, not at 14:00', () => {
  assert.equal(add('2026-03-09T08:30', 3.5, 'work_hours'), '2026-03-09T12:00');
  assert.equal(add('2026-03-09T12:00', 0.5, 'work_hours'), '2026-03-09T14:30');
});

test('春节 2026: work hours run on the make-up Saturday 02-14, skip the holiday and resume 02-24', () => {
  assert.equal(add('2026-02-13T16:00', 3, 'work_hours'), '2026-02-14T10:00');
  assert.equal(add('2026-02-13T16:00', 10, 'work_hours'), '2026-02-24T10:00');
});

test('春节 2025: the make-up Sunday 01-26 is worked, 01-28 to 02-04 are not, 02-08 (Saturday) is', () => {
  assert.equal(add('2025-01-24T17:00', 1, 'work_hours'), '2025-01-26T09:00');
  assert.equal(add('2025-01-27T17:00', 1, 'work_hours'), '2025-02-05T09:00');
  assert.equal(add('2025-02-07T10:00', 1, 'work_days'), '2025-02-08T10:00');
});

test('work days keep the clock position, counting make-up days and skipping the holiday', () => {
  assert.equal(add('2026-02-12T10:00', 2, 'work_days'), '2026-02-14T10:00');
  assert.equal(add('2026-02-12T10:00', 3, 'work_days'), '2026-02-24T10:00');
  assert.equal(add('2026-02-13T15:00', 1, 'work_days'), '2026-02-14T15:00');
});

test('a work-day limit started outside work time counts from the next work period start', () => {
  assert.equal(add('2026-03-07T10:00', 1, 'work_days'), '2026-03-10T08:30'); // Saturday
  assert.equal(add('2026-03-09T12:30', 1, 'work_days'), '2026-03-10T14:00'); // lunch break
  assert.equal(add('2026-03-09T18:00', 1, 'work_days'), '2026-03-11T08:30'); // after hours
  assert.equal(add('2026-02-16T13:00', 2, 'work_days'), '2026-02-26T08:30'); // 春节
});

test('urgent hours and natural days run through weekends and holidays', () => {
  assert.equal(add('2026-02-13T16:00', 24, 'urgent_hours'), '2026-02-14T16:00');
  assert.equal(add('2026-02-13T16:00', 2.5, 'urgent_hours'), '2026-02-13T18:30');
  assert.equal(add('2026-02-13T16:00', 3, 'natural_days'), '2026-02-16T16:00');
});

test('deadlines are written with the +08:00 offset', () => {
  assert.equal(
    formatCst(addDuration(cal, new Date('2026-03-09T00:30:00Z'), 1, 'work_hours')),
    '2026-03-09T09:30:00+08:00',
  );
});

test('a year without a loaded arrangement counts only weekends as days off', () => {
  // 2027-01-01 is a Friday: no holiday data, so it is worked.
  assert.equal(add('2026-12-31T17:00', 1, 'work_hours'), '2027-01-01T09:00');
});

test('a region with other work periods gets deadlines within its own periods', () => {
  const periods: WorkPeriod[] = [{ start: '09:00', end: '17:00' }];
  const own = buildCalendar({ periods, weekend: [6, 0], years: [...SHIPPED_YEARS] });
  assert.equal(
    formatCst(addDuration(own, at('2026-03-09T16:00'), 2, 'work_hours')),
    '2026-03-10T10:00:00+08:00',
  );
});

const stage = (
  start: string,
  amount: number,
  unit: DeadlineUnit,
  pauses: Array<[string, string | null]>,
) => ({
  start: at(start),
  amount,
  unit,
  pauses: pauses.map(([from, to]): Pause => ({ from: at(from), to: to ? at(to) : null })),
});

test('a pause extends the deadline by the working time it covered', () => {
  // 8 work hours from Monday 09:00 end Tuesday 10:00; paused Mon 15:00 – Tue 09:00 covers 3 work hours.
  const s = stage('2026-03-09T09:00', 8, 'work_hours', [['2026-03-09T15:00', '2026-03-10T09:00']]);
  assert.equal(formatCst(pausedDeadline(cal, s)), '2026-03-10T15:00:00+08:00');
});

test('a pause over a weekend, before the start or after the deadline does not move it', () => {
  // 8 work hours from Friday 09:00 end Monday 10:00.
  const s = stage('2026-03-13T09:00', 8, 'work_hours', [
    ['2026-03-01T09:00', '2026-03-12T08:00'],
    ['2026-03-13T18:00', '2026-03-16T08:30'],
    ['2026-03-20T09:00', '2026-03-21T09:00'],
  ]);
  assert.equal(formatCst(pausedDeadline(cal, s)), '2026-03-16T10:00:00+08:00');
});

test('an open pause counts up to now; urgent limits count paused clock time', () => {
  const open = stage('2026-03-09T09:00', 8, 'work_hours', [['2026-03-10T09:00', null]]);
  assert.equal(formatCst(pausedDeadline(cal, open, at('2026-03-10T11:00'))), '2026-03-10T12:00:00+08:00');
  assert.throws(() => pausedDeadline(cal, open), RangeError);
  const urgent = stage('2026-03-14T09:00', 24, 'urgent_hours', [['2026-03-14T10:00', '2026-03-14T12:00']]);
  assert.equal(formatCst(pausedDeadline(cal, urgent)), '2026-03-15T11:00:00+08:00');
});

test('a paused work-day limit lands on its clock position pushed by the paused work time', () => {
  const s = stage('2026-03-09T10:00', 1, 'work_days', [['2026-03-09T14:00', '2026-03-09T15:00']]);
  assert.equal(formatCst(pausedDeadline(cal, s)), '2026-03-10T11:00:00+08:00');
});

test('traffic light: green below 80 %, yellow from 80 % to the deadline, red after it', () => {
  assert.equal(lightFor(0.79), 'green');
  assert.equal(lightFor(0.8), 'yellow');
  assert.equal(lightFor(1), 'yellow');
  assert.equal(lightFor(1.0001), 'red');
  // 10 work hours from Monday 08:30: 7 h used by Tuesday 08:30, 8 h at 09:30, all 10 h at 11:30.
  const s = stage('2026-03-09T08:30', 10, 'work_hours', []);
  const light = (now: string) => trafficLight(cal, s, at(now)).light;
  assert.equal(light('2026-03-10T08:30'), 'green');
  assert.equal(light('2026-03-10T09:29'), 'green');
  assert.equal(light('2026-03-10T09:30'), 'yellow');
  assert.equal(light('2026-03-10T11:30'), 'yellow');
  assert.equal(light('2026-03-10T11:31'), 'red');
  // Paused for an hour on Tuesday morning: 80 % is reached an hour later.
  const paused = stage('2026-03-09T08:30', 10, 'work_hours', [['2026-03-10T08:30', '2026-03-10T09:30']]);
  assert.equal(trafficLight(cal, paused, at('2026-03-10T10:29')).light, 'green');
  const used = trafficLight(cal, paused, at('2026-03-10T10:30'));
  assert.deepEqual([used.light, used.consumedMs, used.fraction], ['yellow', 8 * 3_600_000, 0.8]);
});

/** mulberry32: a tiny seeded generator, so a failing case can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = prng(20260215);
const FROM = Date.parse('2024-12-01T00:00:00+08:00');
const randomStart = (wholeMinute = false) => {
  const ms = Math.floor(random() * 800 * 86_400_000);
  return new Date(FROM + (wholeMinute ? ms - (ms % 60_000) : ms));
};
/** Quarter hours or quarter days, so that amounts are exact in milliseconds. */
const randomAmount = (unit: DeadlineUnit) => Math.floor(random() * (unit === 'work_days' ? 160 : 800)) / 4;
const WORK_UNITS = ['work_hours', 'work_days'] as const;

test('property: adding a then b equals adding a + b, for work units', () => {
  for (let i = 0; i < 3000; i++) {
    const unit = WORK_UNITS[i % 2]!;
    const [start, a, b] = [randomStart(), randomAmount(unit), randomAmount(unit)];
    const twice = addDuration(cal, addDuration(cal, start, a, unit), b, unit);
    assert.equal(
      twice.getTime(),
      addDuration(cal, start, a + b, unit).getTime(),
      `${start.toISOString()} ${a} ${b} ${unit}`,
    );
  }
});

test('property: a positive work deadline never falls outside work time', () => {
  for (let i = 0; i < 3000; i++) {
    const unit = WORK_UNITS[i % 2]!;
    const [start, amount] = [randomStart(), randomAmount(unit) + 0.25];
    const deadline = addDuration(cal, start, amount, unit);
    // Work hours run out at the end of a period (its last instant); work days land inside one.
    const probe = unit === 'work_hours' ? new Date(deadline.getTime() - 1) : deadline;
    assert.ok(isWorkTime(cal, probe), `${start.toISOString()} + ${amount} ${unit} → ${formatCst(deadline)}`);
    assert.ok(deadline > start);
  }
});

test('property: the time elapsed from the start to the deadline is the amount, in every unit', () => {
  const units = ['work_hours', 'urgent_hours', 'work_days', 'natural_days'] as const;
  for (let i = 0; i < 4000; i++) {
    const unit = units[i % 4]!;
    const [start, amount] = [randomStart(), randomAmount(unit)];
    const deadline = addDuration(cal, start, amount, unit);
    assert.equal(elapsed(cal, start, deadline, unit), amount, `${start.toISOString()} + ${amount} ${unit}`);
  }
});

test('property: deadlines agree with the minute-stepping implementation', () => {
  for (let i = 0; i < 300; i++) {
    const unit = WORK_UNITS[i % 2]!;
    const start = randomStart(true);
    const amount = unit === 'work_days' ? 1 + Math.floor(random() * 8) : Math.floor(random() * 40 * 60) / 60;
    const fast = addDuration(cal, start, amount, unit);
    const naive = naiveAddDuration(cal, start, amount, unit);
    assert.equal(formatCst(fast), formatCst(naive), `${formatCst(start)} + ${amount} ${unit}`);
  }
});
