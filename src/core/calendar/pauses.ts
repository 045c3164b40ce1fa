import { advanceMs, limitMs, measureMs, type DeadlineUnit } from './deadlines.ts';
import type { WorkCalendar } from './work-calendar.ts';

/** A time the stage's clock stood still (挂账, 等待群众补充材料); `to` null while it still does. */
export interface Pause {
  from: Date;
  to: Date | null;
}

/** The clock of one stage of a case: when it started, its time limit, and its pauses. */
export interface StageClock {
  start: Date;
  amount: number;
  unit: DeadlineUnit;
  pauses: readonly Pause[];
}

/**
 * Pauses as ordered, disjoint [from, to) millisecond intervals, clipped to the stage (a pause
 * before the start does not count) and, when given, to `now`; an open pause ends at `now`.
 */
function pauseIntervals(stage: StageClock, now: number | undefined): Array<[number, number]> {
  const start = stage.start.getTime();
  const raw: Array<[number, number]> = [];
  for (const p of stage.pauses) {
    const to = p.to?.getTime() ?? now;
    if (to === undefined) throw new RangeError('an open pause needs `now` to say how long it has lasted');
    if (to < p.from.getTime()) throw new RangeError('a pause ends after it begins');
    const from = Math.max(p.from.getTime(), start);
    const end = now === undefined ? to : Math.min(to, now);
    if (end > from) raw.push([from, end]);
  }
  raw.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of raw) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/**
 * The stage's deadline pushed back by the time its clock was paused, counted in its own unit's
 * clock: for work units only the working time inside a pause extends the deadline (a pause over a
 * weekend costs nothing). A pause that begins after the deadline has passed changes nothing. With
 * an open pause the answer holds as of `now` and moves on while the pause lasts.
 */
export function pausedDeadline(calendar: WorkCalendar, stage: StageClock, now?: Date): Date {
  const { unit } = stage;
  let cursor = stage.start.getTime();
  let remaining = limitMs(calendar, stage.amount, unit);
  for (const [from, to] of pauseIntervals(stage, now?.getTime())) {
    const end = advanceMs(calendar, cursor, remaining, unit);
    if (end <= from) return new Date(end);
    remaining -= measureMs(calendar, cursor, from, unit);
    cursor = to;
  }
  return new Date(advanceMs(calendar, cursor, remaining, unit));
}

export interface Consumption {
  /** Clock time counted against the limit so far (paused time excluded), ms. */
  consumedMs: number;
  limitMs: number;
  /** consumedMs / limitMs: 1 at the deadline. */
  fraction: number;
}

/** How much of the stage's time limit has been used at `now`. */
export function consumption(calendar: WorkCalendar, stage: StageClock, now: Date): Consumption {
  const start = stage.start.getTime();
  const at = now.getTime();
  let consumedMs = Math.max(0, measureMs(calendar, start, at, stage.unit));
  for (const [from, to] of pauseIntervals(stage, at)) {
    consumedMs -= measureMs(calendar, from, to, stage.unit);
  }
  const limit = limitMs(calendar, stage.amount, stage.unit);
  const fraction = limit > 0 ? consumedMs / limit : consumedMs > 0 ? Infinity : 0;
  return { consumedMs, limitMs: limit, fraction };
}

export const TRAFFIC_LIGHTS = ['green', 'yellow', 'red'] as const;
export type TrafficLight = (typeof TRAFFIC_LIGHTS)[number];

/** 红黄绿灯: green below 80 % of the limit used, yellow from 80 % up to the deadline, red after it. */
export const YELLOW_FROM = 0.8;

export function lightFor(fraction: number): TrafficLight {
  if (fraction < YELLOW_FROM) return 'green';
  return fraction <= 1 ? 'yellow' : 'red';
}

export function trafficLight(
  calendar: WorkCalendar,
  stage: StageClock,
  now: Date,
): Consumption & { light: TrafficLight } {
  const used = consumption(calendar, stage, now);
  return { ...used, light: lightFor(used.fraction) };
}
