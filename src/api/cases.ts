import { z } from 'zod';
import { CASE_SORTS, COUNT_UP_TO, DEFAULT_PAGE, MAX_PAGE } from '../core/paging.ts';
import { ResponsibilityEntrySchema } from '../core/responsibility/list-schema.ts';
import { TASK_ROLES, TASK_STATUSES } from '../core/workflow/case-snapshot.ts';
import { CHANNELS, STAGES } from '../core/workflow/stages.ts';
import { ACTION_NAMES } from '../core/workflow/transitions.ts';
import { RegionCodeInput } from './common.ts';

const Stage = z.enum(STAGES);
const Timestamp = z.string().meta({ description: 'ISO 8601, UTC' });
const CategoryCode = z.string().regex(/^(?:[0-9A-Z]{2}){1,5}$/, 'a category code');

export const CaseParams = z.object({ id: z.string().min(1).max(64) });

const Reporter = z
  .object({
    name: z.string().nullable(),
    phone: z.string().nullable(),
    anonymous: z.boolean(),
  })
  .meta({ description: 'Masked (张**, 138****8000) unless the caller may read personal data' });

export const CaseTaskSchema = z
  .object({
    id: z.number().int(),
    department_id: z.string(),
    role: z.enum(TASK_ROLES),
    status: z.enum(TASK_STATUSES),
    report_in_deadline: Timestamp.nullable(),
    deadline: Timestamp.nullable(),
    reported_in_at: Timestamp.nullable(),
    done_at: Timestamp.nullable(),
  })
  .meta({ id: 'CaseTask', description: "One department's part of a case (lead, co-handler, summoned)" });

export const CaseEventSchema = z
  .object({
    version: z.number().int(),
    at: Timestamp,
    actor: z.string(),
    role: z.string(),
    action: z.string().meta({ description: '`report` (intake) or a workflow action name' }),
    from: z.string().nullable().meta({ description: 'Stage before; null for the report' }),
    to: z.string().meta({ description: 'Stage after' }),
    reason: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CaseEvent' });

export const CaseView = z
  .object({
    id: z.string(),
    reference: z.string(),
    status: Stage,
    stage_before_park: Stage.nullable(),
    version: z.number().int().meta({ description: 'Send it back as expected_version' }),
    channel: z.string(),
    category: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    address: z.string().nullable(),
    region: z.string(),
    grid: z.string().nullable(),
    reporter: Reporter,
    owner_department_id: z.string().nullable(),
    merged_into: z.string().nullable(),
    merged_from: z
      .array(z.object({ id: z.string(), reference: z.string(), title: z.string() }))
      .meta({ description: 'Duplicates merged into this case' }),
    location: z
      .object({ lon: z.number(), lat: z.number() })
      .nullable()
      .meta({ description: 'Where it was reported (WGS 84), when a point was given' }),
    responsibility: z.object({
      list_id: z.string().nullable(),
      version: z.number().int().nullable(),
      entry_id: z.string().nullable(),
      entry: ResponsibilityEntrySchema.nullable().meta({
        description:
          'The entry the case was routed by: lead and co-handlers, legal basis, time limits per stage, escalation target',
      }),
      dispatch_overridden: z.boolean(),
    }),
    counts: z.object({ returns: z.number(), rework: z.number(), extensions: z.number() }),
    escalation_level: z.number().int(),
    deadlines: z.object({
      stage_started_at: Timestamp,
      stage_deadline: Timestamp.nullable(),
      handling_deadline: Timestamp.nullable(),
      next_check_at: Timestamp.nullable(),
      paused_ms: z.number(),
    }),
    pending_extension: z
      .object({ days: z.number(), reason: z.string(), requested_by: z.string() })
      .nullable(),
    rating: z.object({ score: z.number(), fixed: z.boolean(), at: Timestamp.nullable() }).nullable(),
    reported_at: Timestamp,
    closed_at: Timestamp.nullable(),
    assignees: z.array(CaseTaskSchema).readonly(),
    timeline: z.array(CaseEventSchema),
    allowed_actions: z
      .array(z.enum(ACTION_NAMES))
      .meta({ description: 'What the caller may do now (the table of docs/workflow.md)' }),
  })
  .meta({ id: 'Case' });

/** `status=handling,dispatched` or `status=handling&status=dispatched`. */
const StageList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
  .pipe(z.array(Stage).max(STAGES.length));

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const CaseListQuery = z.object({
  region: RegionCodeInput.optional().meta({ description: 'The region and everything below it' }),
  status: StageList.optional().meta({ description: 'One stage or several, comma separated' }),
  category: CategoryCode.optional().meta({ description: 'The category and its subcategories' }),
  overdue: Flag.optional().meta({ description: 'true: only cases past the deadline of their running clock' }),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'reported_at ≥ from' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'reported_at < to' }),
  owner_department: z.string().min(1).max(64).optional(),
  channel: z.enum(CHANNELS).optional().meta({ description: 'Only cases that came in by this channel' }),
  assigned_to: z
    .enum(['me'])
    .optional()
    .meta({ description: 'me: only the cases waiting for a step of the caller (my queue, 待办)' }),
  due_within: z.coerce
    .number()
    .int()
    .min(1)
    .max(720)
    .optional()
    .meta({ description: 'Hours: only cases whose running clock ends within them (not yet overdue)' }),
  returned: Flag.optional().meta({
    description: 'true: only cases sent back (returned by a department, or failed at verification)',
  }),
  supervised: Flag.optional().meta({ description: 'true: only cases a command centre supervised (督办)' }),
  summoned: Flag.optional().meta({
    description:
      "true: only cases whose whistle (吹哨) waits for the caller's department to report in (报到)",
  }),
  q: z.string().trim().min(1).max(100).optional().meta({
    description:
      '搜索 / A reference number (exact, e.g. 330106-20260302-00017), or words separated by spaces that must all occur in the title or description (substrings, Chinese or not; ASCII letters in either case), e.g. 噪音 施工',
  }),
  phone: z.string().trim().min(3).max(32).optional().meta({
    description:
      '报告人电话 / The reporter’s phone number (digits; spaces, dashes and +86 ignored), found by a keyed hash without decrypting: staff who may read personal data only (else 403)',
  }),
  sort: z
    .enum(CASE_SORTS)
    .optional()
    .meta({ description: 'newest report first (default), oldest first, or soonest stage deadline first' }),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
  cursor: z.string().max(512).optional().meta({ description: 'next_cursor of the previous page' }),
  offset: z.coerce.number().int().min(0).max(100000).optional(),
});

const StageClock = z
  .object({
    light: z.enum(['green', 'yellow', 'red']).meta({
      description: 'green before 50 % of the limit, yellow from 50 %, red from 80 % and when overdue',
    }),
    used_percent: z
      .number()
      .int()
      .meta({ description: 'Of the stage limit, in its clock; over 100 when overdue' }),
    remaining_ms: z.number().meta({
      description: 'Time left in the limit’s clock (working time for work units); negative when overdue',
    }),
  })
  .meta({ id: 'StageClock' });

export const CaseSummary = z
  .object({
    id: z.string(),
    reference: z.string(),
    status: Stage,
    version: z.number().int(),
    channel: z.string(),
    category: z.string().nullable(),
    title: z.string(),
    address: z.string().nullable(),
    region: z.string(),
    grid: z.string().nullable(),
    reporter: Reporter,
    owner_department_id: z.string().nullable(),
    escalation_level: z.number().int(),
    return_count: z.number().int(),
    rework_count: z.number().int(),
    stage_started_at: Timestamp,
    stage_deadline: Timestamp.nullable(),
    clock: StageClock.nullable().meta({ description: 'The running clock; null in parked and final stages' }),
    handling_deadline: Timestamp.nullable(),
    overdue: z.boolean(),
    reported_at: Timestamp,
    closed_at: Timestamp.nullable(),
  })
  .meta({ id: 'CaseSummary' });

export const CaseListResponse = z.object({
  items: z.array(CaseSummary),
  total: z
    .number()
    .int()
    .meta({
      description: `The matching cases the caller may read: exact up to ${COUNT_UP_TO}, else ${COUNT_UP_TO} (total_exact false)`,
    }),
  total_exact: z.boolean().meta({ description: 'false when more cases match than total says' }),
  next_cursor: z.string().nullable(),
});

/**
 * One workflow step. Permissive on purpose: which fields an action needs is the transition
 * table's business (TRANSITIONS[action].requires), and the use case refuses a missing one with its
 * own code (case.reason_required, case.evidence_required, case.field_required …), which a schema
 * error could not say.
 */
export const CaseActionBody = z
  .object({
    action: z.enum(ACTION_NAMES),
    expected_version: z.number().int().min(1),
    reason: z.string().min(1).max(2000).optional(),
    evidence: z.array(z.string().min(1).max(2048)).max(20).optional(),
    note: z.string().max(2000).optional(),
    department_id: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'dispatch / arbitrate: the owner (overriding the list needs a reason)' }),
    departments: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(20)
      .optional()
      .meta({ description: 'whistle: the departments summoned to report in' }),
    report_in_hours: z.number().positive().max(72).optional(),
    merged_into: z.string().min(1).max(64).optional(),
    days: z
      .number()
      .int()
      .min(1)
      .max(365)
      .optional()
      .meta({ description: 'request_extension: working days' }),
    rating: z.number().int().optional().meta({ description: 'rate: 1–5' }),
    fixed: z.boolean().optional().meta({ description: 'rate: false → closed_unfixed' }),
  })
  .meta({ id: 'CaseAction' });
