/**
 * Periods of the indicators are whole days in China Standard Time (UTC+8, no daylight saving):
 * a case belongs to the day it was reported on there, whatever happens to it later.
 */
const CST_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The China-time day (YYYY-MM-DD) of a UTC timestamp. */
export function chinaDay(iso: string): string {
  return new Date(Date.parse(iso) + CST_MS).toISOString().slice(0, 10);
}

/** The first instant (UTC, ISO) of a China-time day; `dayStart(next day)` ends it. */
export function dayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CST_MS).toISOString();
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/** The first day of the month of `day`. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function nextMonth(month: string): string {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Splits the inclusive day range [from, to] into whole months and the loose days at either end,
 * so that a year is read as 12 monthly sums instead of 365 daily ones.
 */
export function splitPeriod(
  from: string,
  to: string,
): { months: { first: string; last: string } | null; days: Array<{ first: string; last: string }> } {
  let firstMonth = monthOf(from) === from ? from : nextMonth(monthOf(from));
  const afterTo = nextDay(to);
  const lastMonthEnd = monthOf(afterTo); // months must end before this day
  if (firstMonth >= lastMonthEnd) {
    return { months: null, days: from <= to ? [{ first: from, last: to }] : [] };
  }
  const days: Array<{ first: string; last: string }> = [];
  if (from < firstMonth) days.push({ first: from, last: previousDay(firstMonth) });
  if (lastMonthEnd <= to) days.push({ first: lastMonthEnd, last: to });
  let lastMonth = firstMonth;
  while (nextMonth(lastMonth) < lastMonthEnd) lastMonth = nextMonth(lastMonth);
  firstMonth = firstMonth.slice(0, 10);
  return { months: { first: firstMonth, last: lastMonth }, days };
}
