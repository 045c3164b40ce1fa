import type { CalendarCache } from '../calendar/calendar-cache.ts';
import type { CountFolder } from '../indicators/count-folder.ts';
import { assertAllowed } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { levelNumber } from '../core/regions/codes.ts';
import { INTAKE_LIMITS, isPublicChannel, isStaff } from '../core/workflow/intake.ts';
import type { Channel, Stage } from '../core/workflow/stages.ts';
import type { Store } from '../db/database.ts';
import type { GridLocator } from '../grids/grid-locator.ts';
import { locatePoint } from '../grids/locate-point.ts';
import { getRegion, type Region } from '../regions/find-regions.ts';
import { findVisibleCategory, scopeOfRegion } from '../taxonomy/visible-categories.ts';
import type { DuplicateSettings, DuplicateSuggestion } from './suggest-duplicates.ts';

export interface ReportLocation {
  lon?: number | undefined;
  lat?: number | undefined;
  address?: string | undefined;
  /** Region code (any accepted form, county or below) of the address, needed when there is no point. */
  region?: string | undefined;
}

export interface Reporter {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
}

export interface ReportInput {
  channel: Channel;
  /** A leaf category visible in the case's region; residents may leave it to the registrar. */
  category?: string | null | undefined;
  title: string;
  description: string;
  location: ReportLocation;
  /** Links or attachment ids of photos; kept in the first event. */
  photos?: string[] | undefined;
  /** Who reported, when not anonymous; a signed-in resident is recorded by user id as well. */
  reporter?: Reporter | null | undefined;
  anonymous?: boolean | undefined;
  /** A retried submission with the same key returns the first case. */
  idempotency_key?: string | null | undefined;
}

export interface ReportedCase {
  id: string;
  reference: string;
  stage: Stage;
  version: number;
  channel: Channel;
  category_code: string | null;
  grid: { code: string; name: string } | null;
  region: Region;
  reported_at: string;
  duplicates: DuplicateSuggestion[];
  /** False when an idempotent retry returned the case an earlier submission created. */
  created: boolean;
  /**
   * For a reporter who is not signed in: the secret that lets them confirm and rate their case
   * (only its SHA-256 is stored). A retry with the idempotency key gets a fresh one, since only the
   * submitter holds that key and the first answer may never have arrived.
   */
  reporter_key?: string;
}

export interface ReportDeps {
  store: Pick<Store, 'db' | 'write' | 'keyring'>;
  clock: Clock;
  locator: GridLocator;
  /** The signed-in user, or null for an anonymous resident. */
  actor: Actor | null;
  duplicates?: DuplicateSettings | undefined;
  /** Calendars kept in memory (the app's); without it, read from the store each time. */
  calendars?: CalendarCache | undefined;
  /** Told of the count deltas each report appends, so that they are folded in batches. */
  counts?: CountFolder | undefined;
  ids?: () => string;
}

/** A report that passed every check of intake, with its place found; nothing written yet. */
export interface CheckedReport {
  title: string;
  description: string;
  photos: string[];
  /** The trimmed idempotency key, or null. */
  key: string | null;
  place: Place;
  /** The leaf category code, or null when a resident left it to the registrar. */
  category: string | null;
}

export interface Place {
  point: { lon: number; lat: number } | null;
  grid: { code: string; name: string } | null;
  region: Region;
  address: string | null;
}

/**
 * Every check intake makes before it writes: texts and their limits, who may report on the
 * channel, the place (point → grid, or address → region), the actor's right in that region, the
 * category visible there. Reads only; the Open311 test endpoint runs the same checks.
 */
export async function checkReport(
  deps: Pick<ReportDeps, 'store' | 'locator' | 'actor'>,
  input: ReportInput,
): Promise<CheckedReport> {
  const title = requireText('title', input.title, INTAKE_LIMITS.titleMax);
  const description = requireText('description', input.description, INTAKE_LIMITS.descriptionMax);
  const photos = input.photos ?? [];
  if (photos.length > INTAKE_LIMITS.photosMax) {
    throw new DomainError('case.invalid_report', { field: 'photos', rule: `≤ ${INTAKE_LIMITS.photosMax}` });
  }
  const key = input.idempotency_key?.trim() || null;
  if (key !== null && key.length > INTAKE_LIMITS.idempotencyKeyMax) {
    throw new DomainError('case.invalid_report', {
      field: 'idempotency_key',
      rule: `≤ ${INTAKE_LIMITS.idempotencyKeyMax}`,
    });
  }
  if (!isPublicChannel(input.channel) && !isStaff(deps.actor)) {
    if (deps.actor === null) throw new DomainError('auth.required');
    throw new DomainError('access.role_forbidden', {
      action: `case.create (${input.channel})`,
      roles: deps.actor.roles.join(', '),
    });
  }

  const place = await locate(deps, input.location);
  if (deps.actor) assertAllowed(deps.actor, 'case.create', { region_code: place.region.code });
  const category = input.category?.trim() || null;
  if (category !== null) {
    const found = await findVisibleCategory(deps.store.db, scopeOfRegion(place.region), category);
    if (!found) throw new DomainError('category.not_found', { code: category });
    if (!found.leaf) throw new DomainError('case.category_not_leaf', { code: category });
  } else if (isStaff(deps.actor)) {
    throw new DomainError('case.category_required', { channel: input.channel });
  }
  return { title, description, photos, key, place, category };
}

function requireText(field: string, value: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw new DomainError('case.invalid_report', { field, rule: 'required' });
  if ([...text].length > max) throw new DomainError('case.invalid_report', { field, rule: `≤ ${max}` });
  return text;
}

/** Point → grid → community; without a point, the address's region (county or below). */
async function locate(deps: Pick<ReportDeps, 'store' | 'locator'>, location: ReportLocation): Promise<Place> {
  const address = location.address?.trim() || null;
  if (address !== null && [...address].length > INTAKE_LIMITS.addressMax) {
    throw new DomainError('case.invalid_report', { field: 'address', rule: `≤ ${INTAKE_LIMITS.addressMax}` });
  }
  const { lon, lat } = location;
  if ((lon === undefined) !== (lat === undefined)) {
    throw new DomainError('case.invalid_report', { field: 'location', rule: 'lon and lat together' });
  }
  if (lon !== undefined && lat !== undefined) {
    const found = await locatePoint({ db: deps.store.db, locator: deps.locator }, { lon, lat });
    return { point: { lon, lat }, grid: found.grid, region: found.region, address };
  }
  if (address === null || !location.region) throw new DomainError('case.location_required');
  const region = await getRegion(deps.store.db, location.region);
  if (levelNumber(region.level) < levelNumber('county')) {
    throw new DomainError('case.region_too_coarse', { code: region.code });
  }
  return { point: null, grid: null, region, address };
}
