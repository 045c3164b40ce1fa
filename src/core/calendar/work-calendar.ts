import {
  checkHolidayYear,
  CST_OFFSET_MS,
  DAY_MS,
  dayOfWeek,
  parseDate,
  parseWorkPeriods,
  type CalendarDefinition,
} from './definition.ts';

/**
 * A calendar compiled for arithmetic. Work time is counted through one function, the working
 * time accumulated since 1970-01-01 (`workBefore`), and its inverse (`instantAtWork`): both run
 * in O(log n) — a closed form for whole weeks plus a binary search over the few dates where the
 * holiday arrangement differs from a plain week — so a deadline a year away costs the same as
 * one an hour away, and adding, measuring and pausing all agree to the millisecond.
 */
export interface WorkCalendar {
  /** Work periods in milliseconds after local midnight, in order. */
  readonly periods: ReadonlyArray<{ start: number; end: number }>;
  /** Work time of one working day, in milliseconds. */
  readonly dayWork: number;
  isWorkingDay(day: number): boolean;
  /** Working days before the CST day `day` (counted from 1970-01-01, negative before). */
  workingDaysBefore(day: number): number;
  /** Working time (ms) between 1970-01-01 and the instant. */
  workBefore(ms: number): number;
  /**
   * An instant at which `workBefore` equals `target`. Several instants share a value across a
   * break; `late` = false picks the earliest (the end of the period before the break, which is
   * where an amount of work runs out), `late` = true the one inside work time (the start of the
   * period after it, which is where work resumes).
   */
  instantAtWork(target: number, late: boolean): number;
}

export function buildCalendar(definition: CalendarDefinition): WorkCalendar {
  const periods = parseWorkPeriods(definition.periods);
  const dayWork = periods.reduce((sum, p) => sum + p.end - p.start, 0);
  const weekend = new Set(definition.weekend);
  const usual = (day: number) => !weekend.has(dayOfWeek(day));
  // Working days among the first r days of a week that starts on day 0 (a Thursday), r = 0…7.
  const weekPrefix = [0];
  for (let r = 0; r < 7; r++) weekPrefix.push(weekPrefix[r]! + (usual(r) ? 1 : 0));
  const perWeek = weekPrefix[7]!;
  if (perWeek === 0) {
    throw new RangeError('a calendar needs at least one working day in the week');
  }

  // Dates where the arrangement differs from the usual week, with the running correction.
  const special = new Map<number, boolean>();
  for (const year of definition.years) {
    checkHolidayYear(year, definition.weekend);
    for (const dates of Object.values(year.holidays)) {
      for (const d of dates) special.set(parseDate(d)!, false);
    }
    for (const d of year.makeupDays) special.set(parseDate(d)!, true);
  }
  const days = [...special.keys()].filter((d) => special.get(d) !== usual(d)).sort((a, b) => a - b);
  const corrections = [0];
  for (const d of days) corrections.push(corrections[corrections.length - 1]! + (special.get(d) ? 1 : -1));

  const isWorkingDay = (day: number) => special.get(day) ?? usual(day);
  /** Sum of corrections of the special days before `day`. */
  const correction = (day: number) => {
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid]! < day) lo = mid + 1;
      else hi = mid;
    }
    return corrections[lo]!;
  };
  const workingDaysBefore = (day: number) => {
    const weeks = Math.floor(day / 7);
    return weeks * perWeek + weekPrefix[day - weeks * 7]! + correction(day);
  };
  const workInDay = (pos: number) => {
    let sum = 0;
    for (const p of periods) {
      if (pos <= p.start) break;
      sum += Math.min(pos, p.end) - p.start;
    }
    return sum;
  };
  /** The working day `d` with workingDaysBefore(d) = index. */
  const workingDayAt = (index: number) => {
    const guess = Math.floor(index / perWeek) * 7;
    let step = 16;
    let lo = guess - step;
    let hi = guess + step;
    while (workingDaysBefore(lo + 1) > index) lo -= step *= 2;
    while (workingDaysBefore(hi + 1) <= index) hi += step *= 2;
    // Smallest d in (lo, hi] with workingDaysBefore(d + 1) > index.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (workingDaysBefore(mid + 1) > index) hi = mid;
      else lo = mid;
    }
    return hi;
  };

  return {
    periods,
    dayWork,
    isWorkingDay,
    workingDaysBefore,
    workBefore(ms) {
      const local = ms + CST_OFFSET_MS;
      const day = Math.floor(local / DAY_MS);
      const inDay = isWorkingDay(day) ? workInDay(local - day * DAY_MS) : 0;
      return workingDaysBefore(day) * dayWork + inDay;
    },
    instantAtWork(target, late) {
      const index = late ? Math.floor(target / dayWork) : Math.ceil(target / dayWork) - 1;
      let rest = target - index * dayWork;
      const day = workingDayAt(index);
      let pos = periods[periods.length - 1]!.end;
      for (const p of periods) {
        const length = p.end - p.start;
        if (late ? rest < length : rest <= length) {
          pos = p.start + rest;
          break;
        }
        rest -= length;
      }
      return day * DAY_MS - CST_OFFSET_MS + pos;
    },
  };
}
