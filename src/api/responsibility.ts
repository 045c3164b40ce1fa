import { z } from 'zod';
import { REGION_LEVELS } from '../core/regions/codes.ts';
import { ESCALATION_TARGETS, TOWNSHIP_DUTIES } from '../core/responsibility/entries.ts';
import { DepartmentType, LegalBasis, Limits, ListContentSchema } from '../core/responsibility/list-schema.ts';
import { RegionCodeInput } from './common.ts';

/** The list's content (entries and township duties) is core's schema: a JSON import is read with it. */
export { ListContentSchema };

export const ListHeaderSchema = z
  .object({
    id: z.string(),
    region_code: z.string(),
    region_level: z.enum(REGION_LEVELS),
    version: z.number().nullable(),
    status: z.enum(['draft', 'published', 'superseded']),
    title: z.string(),
    created_at: z.string(),
    created_by: z.string(),
    published_at: z.string().nullable(),
    published_by: z.string().nullable(),
  })
  .meta({ id: 'ResponsibilityListHeader' });

export const ListSchema = ListHeaderSchema.extend(ListContentSchema.shape);
export const ListsQuery = z.object({ region: RegionCodeInput });
export const ListsResponse = z.object({ items: z.array(ListHeaderSchema) });
export const ListParams = z.object({ id: z.string().min(1) });
export const DraftBody = z.object({ region: RegionCodeInput, title: z.string().optional() });
export const ProblemsResponse = z.object({
  problems: z.array(z.object({ at: z.string(), reason: z.string() })),
});

export const ResolveQuery = z.object({ category: z.string().min(1), region: RegionCodeInput });
const ResolvedHandler = z.object({
  type: DepartmentType.nullable(),
  level: z.enum(REGION_LEVELS).nullable(),
  department: z.object({ id: z.string(), name: z.string(), region_code: z.string() }).nullable(),
});
export const ResolveResponse = z.object({
  category: z.object({ code: z.string(), name: z.string() }),
  region: z.object({ code: z.string(), name: z.string(), level: z.enum(REGION_LEVELS) }),
  lead: ResolvedHandler,
  co_handlers: z.array(ResolvedHandler),
  legal_basis: LegalBasis,
  limits: Limits,
  escalation: z.enum(ESCALATION_TARGETS),
  township_duty: z.enum(TOWNSHIP_DUTIES).nullable(),
  list: z.object({ id: z.string(), region_code: z.string(), version: z.number() }),
  entry: z.object({ id: z.string(), category_code: z.string(), scope_region_code: z.string().nullable() }),
  conflicts: z.array(z.string()),
});

export const CoverageQuery = z.object({ region: RegionCodeInput });
export const CoverageResponse = z.object({
  region: z.object({ code: z.string(), name: z.string() }),
  checked: z.number(),
  gaps: z.array(
    z.object({
      category: z.string(),
      region: z.string(),
      reason: z.enum(['no_entry', 'no_unit']),
      lead_type: z.string().nullable().optional(),
    }),
  ),
  overlaps: z.array(z.object({ category: z.string(), region: z.string(), entries: z.array(z.string()) })),
});

export const DepartmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: DepartmentType,
  region_code: z.string(),
  region_level: z.enum(REGION_LEVELS),
});
export const DepartmentsQuery = z.object({ region: RegionCodeInput.optional() });
export const DepartmentsResponse = z.object({ items: z.array(DepartmentSchema) });
export const NewDepartmentBody = z.object({
  id: z.string().regex(/^[a-z0-9-]{3,64}$/),
  name: z.string().min(1),
  type: DepartmentType,
  region: RegionCodeInput,
});

export const ExportQuery = z.object({
  region: RegionCodeInput,
  format: z.enum(['csv', 'json']).default('json'),
  version: z.union([z.literal('draft'), z.coerce.number().int().positive()]).optional(),
});
export const ImportBody = z.object({
  region: RegionCodeInput,
  format: z.enum(['csv', 'json']),
  text: z
    .string()
    .min(1)
    .meta({ description: 'The file: CSV (see docs/responsibility.md) or JSON {entries, township_duties}' }),
});
export const ImportResponse = z.object({
  list: ListHeaderSchema,
  entries: z.number(),
  township_duties: z.number(),
});
