import type { WorkCalendar } from '../core/calendar/work-calendar.ts';
import { readRevision } from '../db/revisions.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getCalendar } from './get-calendar.ts';

/**
 * The working-time calendars of regions, built once and kept until a calendar write bumps
 * `calendar_revision` (holiday years and work periods change a few times a year; intake and
 * every workflow step need a calendar). The revision is re-read at most every `recheckMs`.
 */
export class CalendarCache {
  private revision = -1;
  private checkedAt = -Infinity;
  private readonly byRegion = new Map<string, Promise<WorkCalendar>>();

  constructor(
    private readonly db: DbOrTx,
    private readonly recheckMs = 1000,
  ) {}

  /** The calendar of a region (12-digit code of a county or below). */
  async calendarOf(region: string): Promise<WorkCalendar> {
    const now = performance.now();
    if (now - this.checkedAt >= this.recheckMs) {
      this.checkedAt = now;
      const revision = await readRevision(this.db, 'calendar_revision');
      if (revision !== this.revision) {
        this.revision = revision;
        this.byRegion.clear();
      }
    }
    let calendar = this.byRegion.get(region);
    if (!calendar) {
      calendar = getCalendar(this.db, region).then((c) => c.calendar);
      this.byRegion.set(region, calendar);
      calendar.catch(() => this.byRegion.delete(region));
    }
    return calendar;
  }
}
