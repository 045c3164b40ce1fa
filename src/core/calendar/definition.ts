import { DomainError } from '../errors.ts';

/**
 * A working-time calendar as plain data. Time is China Standard Time: UTC+08:00 all year, no
 * daylight saving since 1991, so a local day is a fixed 24 h window of UTC and no zone database
 * is needed.
 */
export const CST_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** A work period of every working day, local wall-clock times `HH:MM` (end exclusive, `24:00` allowed). */
export interface WorkPeriod {
  start: string;
  end: string;
}

/** One year's arrangement as announced by the State Council General Office each November. */
export interface HolidayYear {
  year: number;
  /** The notice that announced it, e.g. 国办发明电〔2024〕12号. */
  notice: string;
  /** Statutory holiday dates `YYYY-MM-DD`, grouped by festival name (春节 → dates). */
  holidays: Record<string, string[]>;
  /** 调休: weekend days that are worked. */
  makeupDays: string[];
}

export interface CalendarDefinition {
  periods: WorkPeriod[];
  /** Days of the week that are not worked, 0 = Sunday … 6 = Saturday. */
  weekend: number[];
  years: HolidayYear[];
}

/** The usual hours of a government service window (窗口): 08:30–12:00 and 14:00–17:30. */
export const DEFAULT_WORK_PERIODS: readonly WorkPeriod[] = [
  { start: '08:30', end: '12:00' },
  { start: '14:00', end: '17:30' },
];
export const DEFAULT_WEEKEND: readonly number[] = [6, 0];

/** Local (CST) day number: days since 1970-01-01 in China. */
export function cstDay(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
}

/** Day of the week of a CST day number, 0 = Sunday (1970-01-01 was a Thursday). */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → CST day number; undefined for a malformed or impossible date (2026-02-30). */
export function parseDate(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  return back === text ? ms / DAY_MS : undefined;
}

/** ISO 8601 with the +08:00 offset, e.g. `2026-02-24T10:00:00+08:00` (milliseconds only when present). */
export function formatCst(date: Date): string {
  const local = new Date(date.getTime() + CST_OFFSET_MS).toISOString();
  const trimmed = local.endsWith('.000Z') ? local.slice(0, -5) : local.slice(0, -1);
  return `${trimmed}+08:00`;
}

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** `HH:MM` → milliseconds after local midnight. */
function parseClock(text: string): number | undefined {
  const m = CLOCK.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes * 60_000 : undefined;
}

/** Work periods in milliseconds after midnight; refuses malformed, empty, unordered or overlapping lists. */
export function parseWorkPeriods(periods: readonly WorkPeriod[]): Array<{ start: number; end: number }> {
  const reject = (reason: string) => new DomainError('calendar.periods_rejected', { reason });
  if (periods.length === 0) throw reject('at least one work period is needed');
  const out: Array<{ start: number; end: number }> = [];
  for (const p of periods) {
    const start = parseClock(p.start);
    const end = parseClock(p.end);
    if (start === undefined || end === undefined) throw reject(`not HH:MM: ${p.start}–${p.end}`);
    if (start >= end) throw reject(`a period must end after it starts: ${p.start}–${p.end}`);
    const previous = out[out.length - 1];
    if (previous && start < previous.end)
      throw reject(`periods must be in order without overlap: ${p.start}`);
    out.push({ start, end });
  }
  return out;
}

/**
 * The rules a loaded year must keep: every date inside the year, a make-up working day falls on a
 * weekend (otherwise it changes nothing and is a typing error), no date both a holiday and a
 * make-up day. Every problem is reported, not only the first.
 */
export function checkHolidayYear(year: HolidayYear, weekend: readonly number[] = DEFAULT_WEEKEND): void {
  const problems: string[] = [];
  if (!Number.isInteger(year.year) || year.year < 1991 || year.year > 9999) {
    problems.push(`year ${year.year} is out of range`);
  }
  if (year.notice.trim() === '') problems.push('the notice that announced the year is missing');
  const holidays = new Set<string>();
  const checkDate = (date: string, what: string) => {
    const day = parseDate(date);
    if (day === undefined) problems.push(`${what} ${date} is not a date YYYY-MM-DD`);
    else if (!date.startsWith(`${year.year}-`)) problems.push(`${what} ${date} is not in ${year.year}`);
    return day;
  };
  for (const [name, dates] of Object.entries(year.holidays)) {
    for (const date of dates) {
      checkDate(date, `holiday (${name})`);
      holidays.add(date);
    }
  }
  const makeup = new Set<string>();
  for (const date of year.makeupDays) {
    const day = checkDate(date, 'make-up working day');
    if (day !== undefined && !weekend.includes(dayOfWeek(day))) {
      problems.push(`make-up working day ${date} is not a weekend day`);
    }
    if (holidays.has(date)) problems.push(`${date} is both a holiday and a make-up working day`);
    if (makeup.has(date)) problems.push(`make-up working day ${date} is listed twice`);
    makeup.add(date);
  }
  if (problems.length > 0) {
    throw new DomainError('calendar.year_rejected', {
      year: year.year,
      reason: problems.join('; '),
      problems,
    });
  }
}
