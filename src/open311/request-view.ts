import { isCasePublic } from '../core/attachments/access.ts';
import { attachmentIdOf, attachmentUrl } from '../core/attachments/refs.ts';
import { w3cDateTime, w3cOrNull } from '../core/open311/dates.ts';
import { open311Status, type Open311Status } from '../core/open311/status.ts';
import { mediaUrl, showsDetails } from '../core/open311/visibility.ts';
import type { Stage } from '../core/workflow/stages.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { areaOf, deepestLevel, levelAbove } from './region-area.ts';
import { stageLabel } from '../i18n/case-labels.ts';
import { bilingual, fill, OPEN311_TEXTS } from '../i18n/open311.ts';

/** One request of GET requests, in the spec's field order. */
export interface Open311Request {
  service_request_id: string;
  status: Open311Status;
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
  /** Never null: the address given when the details are public, else the township and community. */
  address: string;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/**
 * The columns a request is made of: the case, its category (name and kind), its owner department,
 * the original it was merged into, its first event (the report's photos), the Open311
 * submission that created it, if any, and its region with the region's parent (for `address`).
 * Never the reporter's name, phone, e-mail or account.
 */
export function requestsQuery(db: DbOrTx) {
  return (
    db
      .selectFrom('cases as c')
      .leftJoin('categories as cat', 'cat.code', 'c.category_code')
      .leftJoin('departments as d', 'd.id', 'c.owner_department_id')
      .leftJoin('cases as m', 'm.id', 'c.merged_into')
      // case_events_case_idx (case_id, version); open311_submissions case_key unique index.
      .leftJoin('case_events as e', (join) => join.onRef('e.case_id', '=', 'c.id').on('e.version', '=', 1))
      .leftJoin('open311_submissions as s', 's.case_key', 'c.idempotency_key')
      // regions primary key (code, level): the deepest row of the code and its parent's (region-area.ts).
      .leftJoin('regions as r', (join) =>
        join.onRef('r.code', '=', 'c.region_code').on('r.level', '=', deepestLevel('c.region_code')),
      )
      .leftJoin('regions as p', (join) =>
        join.onRef('p.code', '=', 'r.parent_code').on('p.level', '=', levelAbove('r.level')),
      )
      .select([
        'c.reference',
        'c.stage',
        'c.category_code',
        'c.description',
        'c.address',
        'c.lon',
        'c.lat',
        'c.reported_at',
        'c.registered_at',
        'c.updated_at',
        'c.closed_at',
        'c.handling_deadline',
        'c.region_code',
        'cat.name as category_name',
        'cat.name_en as category_name_en',
        'cat.kind as category_kind',
        'd.name as department_name',
        'm.reference as merged_reference',
        'e.payload as report_payload',
        's.address_id',
        'r.name as region_name',
        'r.level as region_level',
        'p.name as parent_name',
      ])
  );
}

export type RequestRow = Awaited<ReturnType<ReturnType<typeof requestsQuery>['execute']>>[number];

/**
 * A photo or evidence reference as a link a client can follow: an outside link as given; an
 * uploaded file by its address on this server, only once its case is public (registered and not
 * voided: photos of unchecked reports stay private); null for anything else.
 */
export function photoLink(
  ref: unknown,
  item: { stage: string; registered_at: unknown },
  origin: string,
): string | null {
  if (typeof ref !== 'string') return null;
  const id = attachmentIdOf(ref);
  if (id === null) return mediaUrl(ref);
  const registered = item.registered_at === null ? null : String(item.registered_at);
  return isCasePublic({ stage: item.stage as Stage, registered_at: registered })
    ? `${origin}${attachmentUrl(id)}`
    : null;
}

function reportPhoto(row: RequestRow, origin: string): string | null {
  if (row.report_payload === null || row.report_payload === undefined) return null;
  const photos = readJson<{ photos?: unknown }>(row.report_payload).photos;
  return Array.isArray(photos) ? photoLink(photos[0], row, origin) : null;
}

function statusNotes(row: RequestRow): string {
  const notes = [bilingual(stageLabel(row.stage))];
  if (row.merged_reference)
    notes.push(bilingual(fill(OPEN311_TEXTS.mergedInto, { reference: row.merged_reference })));
  return notes.join('; ');
}

/**
 * A case as an Open311 request. `status` is open or closed (docs/open311.md); the stage, in both
 * languages, is in `status_notes`; the owner department in `agency_responsible`. What was reported
 * and where is shown only for matters of public space (showsDetails); `address` is never null:
 * the address given, or else the area (areaOf).
 */
export function toRequest(row: RequestRow, origin: string): Open311Request {
  const stage = row.stage as Stage;
  const details = showsDetails(row.category_kind ?? null);
  const closed = open311Status(stage) === 'closed';
  return {
    service_request_id: row.reference,
    status: open311Status(stage),
    status_notes: statusNotes(row),
    service_name:
      row.category_name === null || row.category_name === undefined
        ? null
        : bilingual({ zh: row.category_name, en: row.category_name_en ?? '' }),
    service_code: row.category_code ?? '',
    description: details ? row.description : null,
    agency_responsible: row.department_name ?? null,
    service_notice: null,
    requested_datetime: w3cDateTime(row.reported_at),
    updated_datetime: w3cDateTime(closed && row.closed_at ? row.closed_at : row.updated_at),
    expected_datetime: w3cOrNull(row.handling_deadline),
    address: (details ? row.address?.trim() || null : null) ?? areaOf(row),
    address_id: details ? (row.address_id ?? null) : null,
    zipcode: null,
    lat: details && row.lat !== null ? Number(row.lat) : null,
    long: details && row.lon !== null ? Number(row.lon) : null,
    media_url: details ? reportPhoto(row, origin) : null,
  };
}
