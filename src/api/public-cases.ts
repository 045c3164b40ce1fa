import { z } from 'zod';
import { STAGES } from '../core/workflow/stages.ts';

const Timestamp = z.string().meta({ description: 'ISO 8601, UTC' });
const Label = z.object({ zh: z.string(), en: z.string() }).meta({ id: 'Label' });
const Stage = z.enum(STAGES);

export const PublicCaseParams = z.object({
  reference: z
    .string()
    .min(1)
    .max(32)
    .meta({ description: 'The reference number given at intake, e.g. 330106-20260302-00017' }),
});

export const PublicEventSchema = z
  .object({
    at: Timestamp,
    action: z.string().meta({ description: '`report` or a workflow action name' }),
    action_label: Label,
    from: z.string().nullable(),
    to: z.string(),
    to_label: Label,
    by: z
      .object({
        role: z.string(),
        label: Label,
        department: z.string().nullable().meta({ description: 'The department of the person who acted' }),
      })
      .meta({ description: 'The part played, never the person' }),
    departments: z
      .array(z.string())
      .meta({ description: 'Where a dispatch or arbitration sent the case; whistled departments' }),
    reason: z
      .string()
      .nullable()
      .meta({ description: 'Only for `void` and `park`, with contact details masked; otherwise null' }),
  })
  .meta({ id: 'PublicCaseEvent' });

export const PublicCaseView = z
  .object({
    id: z.string().meta({ description: 'For following the case (POST /api/v1/cases/{id}/followers)' }),
    reference: z.string(),
    status: Stage,
    status_label: Label,
    category: z.object({ code: z.string(), name: z.string(), name_en: z.string() }).nullable().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    grid: z.object({ code: z.string(), name: z.string() }).nullable().optional(),
    region: z
      .object({ code: z.string(), name: z.string() })
      .nullable()
      .optional()
      .meta({ description: 'The community (or the region an address-only report named)' }),
    location: z
      .object({ lon: z.number(), lat: z.number() })
      .nullable()
      .optional()
      .meta({ description: 'Rounded to 3 decimals (about 100 m)' }),
    reported_at: Timestamp.optional(),
    closed_at: Timestamp.nullable().optional(),
    deadlines: z
      .object({ stage_deadline: Timestamp.nullable(), handling_deadline: Timestamp.nullable() })
      .optional(),
    photos: z.array(z.string()).optional().meta({ description: 'Links of the photos sent with the report' }),
    rating: z.object({ score: z.number(), fixed: z.boolean() }).nullable().optional(),
    merged_into: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Reference of the case this duplicate was merged into' }),
    timeline: z.array(PublicEventSchema).optional(),
  })
  .meta({
    id: 'PublicCase',
    description:
      'Anyone with the reference may read this. A voided case shows only id, reference and status.',
  });

export const PublicDuplicatesQuery = z.object({
  lon: z.coerce.number().min(-180).max(180).meta({ description: 'WGS84 longitude' }),
  lat: z.coerce.number().min(-90).max(90).meta({ description: 'WGS84 latitude' }),
  category: z.string().regex(/^(?:[0-9A-Z]{2}){1,5}$/, 'a category code'),
});

export const PublicDuplicate = z
  .object({
    id: z.string(),
    reference: z.string(),
    status: Stage,
    status_label: Label,
    title: z.string(),
    distance_m: z.number(),
    reported_at: Timestamp,
  })
  .meta({ id: 'PublicDuplicate' });

export const PublicDuplicatesResponse = z.object({ items: z.array(PublicDuplicate) });

/** The key intake gave a reporter without an account: proof, for verdicts and their own data. */
export const ReporterKey = z
  .string()
  .min(1)
  .max(128)
  .meta({ description: 'The reporter_key of the 201 answer to POST /api/v1/cases' });

export const VerdictBody = z
  .object({
    reporter_key: ReporterKey,
    fixed: z.boolean(),
    rating: z.number().int().min(1).max(5),
    comment: z.string().max(2000).optional(),
  })
  .meta({ id: 'Verdict' });

export const VerdictResponse = z.object({
  reopened: z
    .boolean()
    .meta({ description: 'Not fixed and within the reopen window: the case is being handled again' }),
  case: PublicCaseView,
});
