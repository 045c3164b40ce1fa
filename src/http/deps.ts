import type { Clock } from '../core/clock.ts';
import type { Store } from '../db/database.ts';
import { GridLocator } from '../grids/grid-locator.ts';
import type { DuplicateSettings } from '../cases/suggest-duplicates.ts';
import { RulesCache } from '../responsibility/rules-cache.ts';
import { CalendarCache } from '../calendar/calendar-cache.ts';
import { CountFolder } from '../indicators/count-folder.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import type { AttachmentLimits } from '../core/attachments/limits.ts';

export interface AppDeps {
  store: Store;
  clock: Clock;
  locator: GridLocator;
  rules: RulesCache;
  /** Working-time calendars per region, reloaded when calendar_revision moves. */
  calendars: CalendarCache;
  /** Folds the indicator count deltas that intake and workflow steps append. */
  counts: CountFolder;
  /** Duplicate suggestions at intake (SHANZHI_DUPLICATE_METERS / _HOURS); 50 m and 24 h when absent. */
  duplicates?: DuplicateSettings;
  /** Where attachments are kept (`<data dir>/attachments`); a temporary directory when absent. */
  storage?: BlobStorage;
  /** Upload size (SHANZHI_ATTACHMENT_MAX_MB) and image bounds; docs/attachments.md. */
  attachmentLimits?: Partial<AttachmentLimits>;
}

/**
 * The app's dependencies: the store, the clock, and the in-memory structures derived from the
 * store (spatial index, compiled rules), which re-check their revision every `recheckMs`.
 */
export function makeAppDeps(store: Store, clock: Clock, recheckMs = 1000): AppDeps {
  return {
    store,
    clock,
    locator: new GridLocator(store.db, { recheckMs }),
    rules: new RulesCache(store.db, recheckMs),
    calendars: new CalendarCache(store.db, recheckMs),
    counts: new CountFolder(store),
  };
}
