/** China Standard Time, UTC+8 all year: anchors cover China days, as reference numbers do. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * How long after a day ends before it is anchored: an event's time is taken when its step begins
 * and it commits a moment later, so a step begun just before midnight must be in before the day's
 * events are added up (docs/audit.md).
 */
export const ANCHOR_SETTLE_MS = 10 * 60_000;

export interface AnchorPeriod {
  /** The China day, YYYY-MM-DD. */
  period: string;
  /** Its first instant (UTC ISO); null for the first anchor, which covers everything before it too. */
  from_at: string | null;
  until_at: string;
}

/** The China day an instant falls in, as YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China day (YYYY-MM-DD) ends: the next day's midnight in China, in UTC. */
function dayEnd(period: string): number {
  return Date.parse(`${period}T00:00:00.000Z`) + DAY_MS - CHINA_OFFSET_MS;
}

/**
 * The days to anchor now: from the day after the last anchor (or the day of the earliest row, or
 * nothing when there is none yet) to the last day that ended ANCHOR_SETTLE_MS before `now`.
 */
export function periodsToAnchor(
  last: { period: string; until_at: string } | null,
  earliest: Date | null,
  now: Date,
): AnchorPeriod[] {
  const start = last ? chinaDate(new Date(Date.parse(last.until_at))) : earliest ? chinaDate(earliest) : null;
  if (start === null) return [];
  const periods: AnchorPeriod[] = [];
  let from: string | null = last ? new Date(Date.parse(last.until_at)).toISOString() : null;
  for (let end = dayEnd(start); end + ANCHOR_SETTLE_MS <= now.getTime(); end += DAY_MS) {
    const until = new Date(end).toISOString();
    periods.push({ period: chinaDate(new Date(end - 1)), from_at: from, until_at: until });
    from = until;
  }
  return periods;
}
