import { DAY_MS } from './definition.ts';
import type { WorkCalendar } from './work-calendar.ts';

/**
 * Units of a time limit (时限). The Zod enum, the OpenAPI enum and the docs come from this list.
 * - `work_hours`  工作小时: only work periods of working days count.
 * - `urgent_hours` 紧急时限: the clock runs day and night (24/7).
 * - `work_days`   工作日: the same clock position N working days later (docs/calendar.md).
 * - `natural_days` 自然日: N × 24 h.
 */
export const DEADLINE_UNITS = ['work_hours', 'urgent_hours', 'work_days', 'natural_days'] as const;
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];

/** Units whose clock stops outside work time. */
export function isWorkUnit(unit: DeadlineUnit): unit is 'work_hours' | 'work_days' {
  return unit === 'work_hours' || unit === 'work_days';
}

const HOUR_MS = 3_600_000;

/**
 * A time limit in the milliseconds its clock counts: work time for work units, clock time
 * otherwise. Rounded to the millisecond so that sums of limits add up exactly.
 */
export function limitMs(calendar: WorkCalendar, amount: number, unit: DeadlineUnit): number {
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`a time limit is not negative: ${amount}`);
  switch (unit) {
    case 'work_hours':
    case 'urgent_hours':
      return Math.round(amount * HOUR_MS);
    case 'work_days':
      return Math.round(amount * calendar.dayWork);
    case 'natural_days':
      return Math.round(amount * DAY_MS);
  }
}

/** The time a unit's clock counts between two instants, in milliseconds (negative when `to` < `from`). */
export function measureMs(calendar: WorkCalendar, from: number, to: number, unit: DeadlineUnit): number {
  return isWorkUnit(unit) ? calendar.workBefore(to) - calendar.workBefore(from) : to - from;
}

/**
 * The instant at which a unit's clock, started at `from`, has counted `ms`. Work hours run out at
 * the end of a period (12:00 rather than 14:00); work days land inside work time (the same clock
 * position, 14:00 stays 14:00), which also moves a start outside work time to the next period start.
 */
export function advanceMs(calendar: WorkCalendar, from: number, ms: number, unit: DeadlineUnit): number {
  switch (unit) {
    case 'work_hours':
      return ms === 0 ? from : calendar.instantAtWork(calendar.workBefore(from) + ms, false);
    case 'work_days':
      return calendar.instantAtWork(calendar.workBefore(from) + ms, true);
    case 'urgent_hours':
    case 'natural_days':
      return from + ms;
  }
}

/**
 * The deadline of a time limit started at `start`.
 *
 * `addDuration(cal, new Date('2026-02-13T16:00:00+08:00'), 3, 'work_hours')` is Saturday
 * 2026-02-14 10:00 (a make-up working day before 春节), not the Tuesday after the holiday.
 */
export function addDuration(calendar: WorkCalendar, start: Date, amount: number, unit: DeadlineUnit): Date {
  return new Date(advanceMs(calendar, start.getTime(), limitMs(calendar, amount, unit), unit));
}

/** Time elapsed between two instants in the unit's clock and unit (hours or days, fractional). */
export function elapsed(calendar: WorkCalendar, from: Date, to: Date, unit: DeadlineUnit): number {
  const ms = measureMs(calendar, from.getTime(), to.getTime(), unit);
  return ms / unitMs(calendar, unit);
}

/** Milliseconds of one unit: one hour, one working day's work time, or 24 hours. */
export function unitMs(calendar: WorkCalendar, unit: DeadlineUnit): number {
  switch (unit) {
    case 'work_hours':
    case 'urgent_hours':
      return HOUR_MS;
    case 'work_days':
      return calendar.dayWork;
    case 'natural_days':
      return DAY_MS;
  }
}

/** True when the instant lies in a work period of a working day (period ends excluded). */
export function isWorkTime(calendar: WorkCalendar, at: Date): boolean {
  const ms = at.getTime();
  return calendar.workBefore(ms + 1) - calendar.workBefore(ms) === 1;
}
