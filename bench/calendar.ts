import { performance } from 'node:perf_hooks';
import { SHIPPED_YEARS } from '../src/calendar/default-years.ts';
import { addDuration, type DeadlineUnit } from '../src/core/calendar/deadlines.ts';
import {
  CST_OFFSET_MS,
  DAY_MS,
  DEFAULT_WEEKEND,
  DEFAULT_WORK_PERIODS,
} from '../src/core/calendar/definition.ts';
import { buildCalendar, type WorkCalendar } from '../src/core/calendar/work-calendar.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

const MINUTE = 60_000;

/**
 * The obvious implementation, as the baseline and as the tests' oracle: step one minute at a time
 * and count the minutes that lie in a work period of a working day. Starts on a whole minute.
 */
export function naiveAddDuration(
  calendar: WorkCalendar,
  start: Date,
  amount: number,
  unit: DeadlineUnit,
): Date {
  const isWorkMinute = (t: number) => {
    const day = Math.floor((t + CST_OFFSET_MS) / DAY_MS);
    const pos = t + CST_OFFSET_MS - day * DAY_MS;
    return calendar.isWorkingDay(day) && calendar.periods.some((p) => pos >= p.start && pos < p.end);
  };
  let t = start.getTime();
  const step = unit === 'work_days' ? calendar.dayWork / MINUTE : unit === 'natural_days' ? 24 * 60 : 60;
  let remaining = Math.round(amount * step);
  const counts = unit === 'work_hours' || unit === 'work_days' ? isWorkMinute : () => true;
  while (remaining > 0) {
    if (counts(t)) remaining--;
    t += MINUTE;
  }
  // A work-day deadline keeps its clock position: it lands where work resumes, not where it stopped.
  if (unit === 'work_days') while (!isWorkMinute(t)) t += MINUTE;
  return new Date(t);
}

/** Random starts over 2025–2026 and random limits, the same for both implementations. */
function makeCases(count: number): Array<{ start: Date; amount: number; unit: DeadlineUnit }> {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const from = Date.parse('2025-01-01T00:00:00+08:00');
  const units: DeadlineUnit[] = ['work_hours', 'work_days', 'work_hours', 'urgent_hours'];
  return Array.from({ length: count }, (_, i) => {
    const unit = units[i % units.length]!;
    const amount = unit === 'work_days' ? 1 + Math.floor(random() * 15) : 1 + Math.floor(random() * 72);
    const start = new Date(from + Math.floor(random() * 700 * 24 * 60) * MINUTE);
    return { start, amount, unit };
  });
}

function perSecond(
  cases: ReturnType<typeof makeCases>,
  add: (c: WorkCalendar, s: Date, a: number, u: DeadlineUnit) => Date,
  calendar: WorkCalendar,
  budgetMs: number,
): number {
  let done = 0;
  const started = performance.now();
  let sink = 0;
  while (performance.now() - started < budgetMs) {
    for (const c of cases) sink += add(calendar, c.start, c.amount, c.unit).getTime() & 1;
    done += cases.length;
  }
  if (sink < 0) throw new Error('unreachable');
  return (done * 1000) / (performance.now() - started);
}

/** Deadlines per second on the 2025–2026 calendar, beside the minute-stepping implementation. */
export async function benchCalendar(options: BenchOptions): Promise<BenchRow[]> {
  const calendar = buildCalendar({
    periods: [...DEFAULT_WORK_PERIODS],
    weekend: [...DEFAULT_WEEKEND],
    years: [...SHIPPED_YEARS],
  });
  const cases = makeCases(1000);
  const budget = options.quick ? 300 : 2000;
  perSecond(cases, addDuration, calendar, 50); // warm-up
  const fast = perSecond(cases, addDuration, calendar, budget);
  const naive = perSecond(cases.slice(0, 50), naiveAddDuration, calendar, budget);
  return [
    row(
      'calendar.deadlines_per_second',
      fast,
      'deadlines/s',
      'higher',
      { name: 'minute-stepping implementation', value: naive },
      'mixed work_hours (1–72), work_days (1–15), urgent_hours; starts over 2025–2026',
    ),
  ];
}
