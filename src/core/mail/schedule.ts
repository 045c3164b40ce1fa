/**
 * When mail work happens, as pure arithmetic over instants: the daily digest hour and the
 * dispatcher's retry backoff.
 */

/** Digests go out once a day at 08:00 China Standard Time (00:00 UTC), before the working day. */
export const DIGEST_HOUR_UTC = 0;

/** The first digest instant strictly after `at`. */
export function nextDigestAt(at: Date, hourUtc = DIGEST_HOUR_UTC): Date {
  const next = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), hourUtc));
  if (next.getTime() <= at.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

export interface Backoff {
  /** Wait after the first failed attempt. */
  baseMs: number;
  /** The wait never grows beyond this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 30_000, maxMs: 3_600_000 };

/** Exponential backoff: base, 2 × base, 4 × base … capped; `attempts` counts the failed tries so far (≥ 1). */
export function retryDelayMs(attempts: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 30);
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
}
