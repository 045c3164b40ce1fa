/** Time is a dependency: use cases receive a clock so that tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and for replaying history. */
export function fixedClock(
  start: Date | string,
): Clock & { advance(ms: number): void; set(t: Date | string): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(t) {
      current = new Date(t).getTime();
    },
  };
}
