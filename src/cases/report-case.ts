import { attachToCase } from './attach-to-case.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import { DEFAULT_LIMITS, enterStage } from '../core/workflow/clocks.ts';
import { newCaseRow, reportEventRow } from './case-rows.ts';
import { factsFromRow } from '../indicators/case-facts.ts';
import { appendCountDelta } from '../indicators/count-deltas.ts';
import { intakeActor, isStaff } from '../core/workflow/intake.ts';
import { countyDigits } from '../core/workflow/reference.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { insertRow } from '../db/prepared.ts';
import { timeOrderedId } from '../db/time-ordered-id.ts';
import { nextReference } from './reference-number.ts';
import { findByKey, newReporterKey, replay } from './report-replay.ts';
import { checkReport, type ReportDeps, type ReportedCase, type ReportInput } from './report-input.ts';
import { suggestDuplicates } from './suggest-duplicates.ts';
import { afterCaseReported } from '../followers/case-hooks.ts';
import { sealReporter } from '../personal/reporter-data.ts';
import { hashReporterKey } from '../personal/reporter-key.ts';

const NO_DEADLINES = { stage_deadline: null, handling_deadline: null };

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
  const { title, description, photos, key, place, category } = await checkReport(deps, input);

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
  // The first event, hashed before the transaction: the case row starts its chain with its hash.
  const first = reportEventRow(id, at, who, { channel: input.channel, category, photos });
  // Name, phone and e-mail apart from the case's facts, sealed (docs/personal-data.md).
  const personal = anonymous ? null : sealReporter(deps.store.keyring, id, { name, phone, email }, at);

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
        reporter_user_id: anonymous ? null : reporterUserId,
        reporter_key_hash: reporterKey && hashReporterKey(reporterKey),
        anonymous: anonymous ? 1 : 0,
        idempotency_key: key,
        stage_started_at: at,
        stage_deadline: clock.stage_deadline,
        next_check_at: clock.next_check_at,
        reported_at: at,
        updated_at: at,
        last_event_hash: first.hash,
      });
      await insertRow(tx, 'cases', row);
      if (personal) await insertRow(tx, 'personal_data', personal);
      deltas = await appendCountDelta(tx, null, factsFromRow(row));
      // Uploaded photos (attachment ids) become the case's, with it or not at all.
      if (photos.length > 0) await attachToCase(tx, { caseId: id, refs: photos, actor: deps.actor, at: now });
      // Mail (docs/mail.md): the reporter follows the case; area subscribers are alerted.
      await afterCaseReported(tx, { ...row, reporter_email: anonymous ? null : email });
      await insertRow(tx, 'case_events', first);
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
