import { attachToCase } from '../attachments/attach-to-case.ts';
import type { CalendarCache } from '../calendar/calendar-cache.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import { DEFAULT_LIMITS, enterStage } from '../core/workflow/clocks.ts';
import { newCaseRow, reportEventRow } from './case-rows.ts';
import { factsFromRow } from '../indicators/case-facts.ts';
import { appendCountDelta } from '../indicators/count-deltas.ts';
import type { CountFolder } from '../indicators/count-folder.ts';
import { assertAllowed } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { levelNumber } from '../core/regions/codes.ts';
import { INTAKE_LIMITS, intakeActor, isPublicChannel, isStaff } from '../core/workflow/intake.ts';
import { countyDigits } from '../core/workflow/reference.ts';
import type { Channel, Stage } from '../core/workflow/stages.ts';
import type { Store } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { insertRow } from '../db/prepared.ts';
import { timeOrderedId } from '../db/time-ordered-id.ts';
import type { GridLocator } from '../grids/grid-locator.ts';
import { locatePoint } from '../grids/locate-point.ts';
import { getRegion, type Region } from '../regions/find-regions.ts';
import { findVisibleCategory, scopeOfRegion } from '../taxonomy/visible-categories.ts';
import { nextReference } from './reference-number.ts';
import { findByKey, hashReporterKey, newReporterKey, replay } from './report-replay.ts';
import { suggestDuplicates, type DuplicateSettings, type DuplicateSuggestion } from './suggest-duplicates.ts';
import { afterCaseReported } from '../followers/case-hooks.ts';

const NO_DEADLINES = { stage_deadline: null, handling_deadline: null };

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
  store: Pick<Store, 'db' | 'write'>;
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

/**
 * Unified intake (受理): one report from any channel becomes a case in stage `reported`, with its
 * reference number and its first event, in one transaction. The point locates the grid and its
 * community (or, without a point, the address names its region); the county of that region
 * numbers the case.
 *
 * ```ts
 * const c = await reportCase({ store, clock, locator, actor: null }, {
 *   channel: 'web', title: '井盖缺失', description: '…', location: { lon: 120.13, lat: 30.27 },
 * });
 * c.reference; // '330106-20260302-00017'
 * ```
 */
export async function reportCase(deps: ReportDeps, input: ReportInput): Promise<ReportedCase> {
  const { db } = deps.store;
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
    const found = await findVisibleCategory(db, scopeOfRegion(place.region), category);
    if (!found) throw new DomainError('category.not_found', { code: category });
    if (!found.leaf) throw new DomainError('case.category_not_leaf', { code: category });
  } else if (isStaff(deps.actor)) {
    throw new DomainError('case.category_required', { channel: input.channel });
  }

  const now = deps.clock.now();
  const at = now.toISOString();
  const duplicates = await suggestDuplicates(
    { db, locator: deps.locator, settings: deps.duplicates },
    { category_code: category, point: place.point, at: now },
  );
  const reporter = input.anonymous ? null : (input.reporter ?? null);
  const name = reporter?.name?.trim() || null;
  const phone = reporter?.phone?.trim() || null;
  const email = reporter?.email?.trim() || null;
  const who = intakeActor(deps.actor, input.channel, input.anonymous === true);
  // A signed-in resident reporting in their own name; staff enter someone else's report.
  const reporterUserId = !isStaff(deps.actor) ? who.user_id : null;
  const anonymous = input.anonymous === true || (!name && !phone && !email && !reporterUserId);
  const id = deps.ids ? deps.ids() : timeOrderedId(now.getTime());
  // The report's own clock: the registration limit (立案时限), in the region's working time.
  const calendar = deps.calendars
    ? await deps.calendars.calendarOf(place.region.code)
    : (await getCalendar(db, place.region.code)).calendar;
  const clock = enterStage(calendar, DEFAULT_LIMITS, now, 'reported', 'reported', NO_DEADLINES);
  const reporterKey = deps.actor === null ? newReporterKey() : null;
  const countyCode = countyDigits(place.region.code).padEnd(12, '0');

  let reference: string;
  try {
    let deltas = 0;
    reference = await deps.store.write(async (tx) => {
      const ref = await nextReference(tx, countyCode, now);
      const row = newCaseRow({
        id,
        reference: ref,
        channel: input.channel,
        category_code: category,
        title,
        description,
        address: place.address,
        lon: place.point?.lon ?? null,
        lat: place.point?.lat ?? null,
        grid_code: place.grid?.code ?? null,
        region_code: place.region.code,
        county_code: countyCode,
        reporter_name: anonymous ? null : name,
        reporter_phone: anonymous ? null : phone,
        reporter_email: anonymous ? null : email,
        reporter_user_id: anonymous ? null : reporterUserId,
        reporter_key_hash: reporterKey && hashReporterKey(reporterKey),
        anonymous: anonymous ? 1 : 0,
        idempotency_key: key,
        stage_started_at: at,
        stage_deadline: clock.stage_deadline,
        next_check_at: clock.next_check_at,
        reported_at: at,
        updated_at: at,
      });
      await insertRow(tx, 'cases', row);
      deltas = await appendCountDelta(tx, null, factsFromRow(row));
      // Uploaded photos (attachment ids) become the case's, with it or not at all.
      if (photos.length > 0) await attachToCase(tx, { caseId: id, refs: photos, actor: deps.actor, at: now });
      // Mail (docs/mail.md): the reporter follows the case; area subscribers are alerted.
      await afterCaseReported(tx, row);
      await insertRow(
        tx,
        'case_events',
        reportEventRow(id, at, who, { channel: input.channel, category, photos }),
      );
      return ref;
    });
    deps.counts?.appended(deltas);
  } catch (error) {
    // A retry, or two submissions with one key racing: the unique index on idempotency_key let
    // the first in and refused this one (its savepoint rolled back, its number unused). No lookup
    // comes first, so that first submissions, nearly all of them, pay nothing for it.
    if (key !== null && isUniqueViolation(error)) {
      const winner = await findByKey(db, key);
      if (winner) return replay(deps, winner);
    }
    throw error;
  }
  return {
    id,
    reference,
    stage: 'reported',
    version: 1,
    channel: input.channel,
    category_code: category,
    grid: place.grid,
    region: place.region,
    reported_at: at,
    duplicates,
    created: true,
    ...(reporterKey ? { reporter_key: reporterKey } : {}),
  };
}

function requireText(field: string, value: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw new DomainError('case.invalid_report', { field, rule: 'required' });
  if ([...text].length > max) throw new DomainError('case.invalid_report', { field, rule: `≤ ${max}` });
  return text;
}

interface Place {
  point: { lon: number; lat: number } | null;
  grid: { code: string; name: string } | null;
  region: Region;
  address: string | null;
}

/** Point → grid → community; without a point, the address's region (county or below). */
async function locate(deps: ReportDeps, location: ReportLocation): Promise<Place> {
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
