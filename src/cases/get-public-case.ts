import { redactContacts } from '../core/access/redact.ts';
import { attachmentIdOf, attachmentUrl } from '../core/attachments/refs.ts';
import { DomainError } from '../core/errors.ts';
import type { ActionName } from '../core/workflow/transitions.ts';
import { readJson, readTimestamp } from '../db/dialect.ts';
import type { Stage } from '../core/workflow/stages.ts';
import type { DbOrTx } from '../db/schema.ts';
import { actionLabel, roleLabel, stageLabel, type Label } from '../i18n/case-labels.ts';

/**
 * What anyone holding a reference number may read about a case (docs/web.md). Nobody's identity
 * is in it: no reporter, and for staff only the part they played and their department. Free-text
 * reasons appear only for the steps that explain an outcome to the public, with contact details
 * masked; the exact point and the typed address stay with staff.
 */
export interface PublicCase {
  id: string;
  reference: string;
  status: Stage;
  status_label: Label;
  category?: { code: string; name: string; name_en: string } | null;
  title?: string;
  description?: string;
  grid?: { code: string; name: string } | null;
  region?: { code: string; name: string } | null;
  location?: { lon: number; lat: number } | null;
  reported_at?: string;
  closed_at?: string | null;
  deadlines?: { stage_deadline: string | null; handling_deadline: string | null };
  photos?: string[];
  rating?: { score: number; fixed: boolean } | null;
  merged_into?: string | null;
  timeline?: PublicEvent[];
}

export interface PublicEvent {
  at: string;
  action: string;
  action_label: Label;
  from: string | null;
  to: string;
  to_label: Label;
  by: { role: string; label: Label; department: string | null };
  /** The department a dispatch or an arbitration sent the case to, or whistled departments. */
  departments: string[];
  reason: string | null;
}

/** Reasons written to tell the public the outcome; the rest (returns, rework, notices) are internal. */
const PUBLIC_REASONS: ReadonlySet<string> = new Set<ActionName>(['void', 'park']);

/** About 100 m: enough to see the place on a map, not enough to point at a door. */
const PUBLIC_DECIMALS = 3;
const approx = (v: number) => Math.round(v * 10 ** PUBLIC_DECIMALS) / 10 ** PUBLIC_DECIMALS;

const ts = (v: unknown) => (v === null || v === undefined ? null : readTimestamp(v));

/**
 * Photos are kept as given at intake: attachments (by id or URL) are shown by their URL, outside
 * links as they are, and bare names (nothing to show) not at all. The attachments API decides who
 * may fetch each file (private until registration, src/core/attachments/access.ts).
 */
function photoLinks(payload: Record<string, unknown>): string[] {
  const photos = Array.isArray(payload.photos) ? payload.photos : [];
  return photos.flatMap((p) => {
    if (typeof p !== 'string') return [];
    const id = attachmentIdOf(p);
    if (id !== null) return [attachmentUrl(id)];
    return /^https?:\/\//.test(p) ? [p] : [];
  });
}

function departmentsOf(action: string, payload: Record<string, unknown>): string[] {
  if ((action === 'dispatch' || action === 'arbitrate') && typeof payload.department_id === 'string')
    return [payload.department_id];
  if (action === 'whistle' && Array.isArray(payload.departments))
    return payload.departments.filter((d): d is string => typeof d === 'string');
  return [];
}

/**
 * The public view of a case by its reference number; `case.not_found` when there is none.
 * A voided case shows only its status.
 */
export async function getPublicCase(db: DbOrTx, reference: string): Promise<PublicCase> {
  const row = await db
    .selectFrom('cases')
    .leftJoin('categories', 'categories.code', 'cases.category_code')
    .leftJoin('grids', 'grids.code', 'cases.grid_code')
    .select([
      'cases.id',
      'cases.reference',
      'cases.stage',
      'cases.category_code',
      'categories.name as category_name',
      'categories.name_en as category_name_en',
      'cases.title',
      'cases.description',
      'cases.grid_code',
      'grids.name as grid_name',
      'cases.region_code',
      'cases.lon',
      'cases.lat',
      'cases.reported_at',
      'cases.closed_at',
      'cases.stage_deadline',
      'cases.handling_deadline',
      'cases.rating',
      'cases.rated_fixed',
      'cases.merged_into',
    ])
    .where('cases.reference', '=', reference)
    .executeTakeFirst();
  if (!row) throw new DomainError('case.not_found', { id: reference });
  const head = {
    id: row.id,
    reference: row.reference,
    status: row.stage as Stage,
    status_label: stageLabel(row.stage),
  };
  if (row.stage === 'voided') return head;

  const events = await db
    .selectFrom('case_events')
    .leftJoin('users', 'users.id', 'case_events.actor_user_id')
    .select([
      'case_events.at',
      'case_events.action',
      'case_events.from_stage',
      'case_events.to_stage',
      'case_events.actor_role',
      'case_events.reason',
      'case_events.payload',
      'users.department_id',
    ])
    .where('case_events.case_id', '=', row.id)
    .orderBy('case_events.version')
    .execute();
  const parsed = events.map((e) => ({ ...e, payload: readJson<Record<string, unknown>>(e.payload) }));
  const departmentIds = new Set<string>();
  for (const e of parsed) {
    if (e.department_id) departmentIds.add(e.department_id);
    for (const d of departmentsOf(e.action, e.payload)) departmentIds.add(d);
  }
  const names = new Map<string, string>();
  if (departmentIds.size > 0) {
    const rows = await db
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('id', 'in', [...departmentIds])
      .execute();
    for (const d of rows) names.set(d.id, d.name);
  }
  const original = row.merged_into
    ? await db.selectFrom('cases').select('reference').where('id', '=', row.merged_into).executeTakeFirst()
    : undefined;
  const report = parsed.find((e) => e.action === 'report');
  // The community of the grid, or the region an address-only report named; the lowest level wins.
  const region = await db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('code', '=', row.region_code)
    .orderBy('level', 'desc')
    .executeTakeFirst();

  return {
    ...head,
    category: row.category_code
      ? {
          code: row.category_code,
          name: row.category_name ?? row.category_code,
          name_en: row.category_name_en ?? row.category_code,
        }
      : null,
    title: row.title,
    description: row.description,
    grid: row.grid_code ? { code: row.grid_code, name: row.grid_name ?? row.grid_code } : null,
    region: region ?? null,
    location:
      row.lon === null || row.lat === null
        ? null
        : { lon: approx(Number(row.lon)), lat: approx(Number(row.lat)) },
    reported_at: readTimestamp(row.reported_at),
    closed_at: ts(row.closed_at),
    deadlines: { stage_deadline: ts(row.stage_deadline), handling_deadline: ts(row.handling_deadline) },
    photos: report ? photoLinks(report.payload) : [],
    rating: row.rating === null ? null : { score: Number(row.rating), fixed: Boolean(row.rated_fixed) },
    merged_into: original?.reference ?? null,
    timeline: parsed.map((e) => ({
      at: readTimestamp(e.at),
      action: e.action,
      action_label: actionLabel(e.action),
      from: e.from_stage,
      to: e.to_stage,
      to_label: stageLabel(e.to_stage),
      by: {
        role: e.actor_role,
        label: roleLabel(e.actor_role),
        department: e.department_id ? (names.get(e.department_id) ?? null) : null,
      },
      departments: departmentsOf(e.action, e.payload).map((d) => names.get(d) ?? d),
      reason: e.reason && PUBLIC_REASONS.has(e.action) ? redactContacts(e.reason) : null,
    })),
  };
}
