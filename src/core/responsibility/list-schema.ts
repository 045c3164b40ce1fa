import { z } from 'zod';
import { DEPARTMENT_TYPES } from '../organisation/department-types.ts';
import { REGION_LEVELS } from '../regions/codes.ts';
import { ESCALATION_TARGETS, LIMIT_UNITS, TOWNSHIP_DUTIES } from './entries.ts';

/*
 * The shape of a responsibility list's content: the API's request and response schemas use it,
 * and a JSON import is read with it, so a file and a request are held to one rule.
 */

export const DepartmentType = z.enum(DEPARTMENT_TYPES);
const TimeLimit = z.object({ amount: z.number().positive(), unit: z.enum(LIMIT_UNITS) });
const HandlerRef = z.union([
  z.object({ type: DepartmentType, level: z.enum(REGION_LEVELS) }).strict(),
  z.object({ department_id: z.string().min(1) }).strict(),
]);
export const LegalBasis = z.object({ law: z.string(), article: z.string(), text: z.string() });
export const Limits = z.object({
  registration: TimeLimit,
  dispatch: TimeLimit,
  handling: TimeLimit,
  verification: TimeLimit,
});

export const ResponsibilityEntrySchema = z
  .object({
    id: z.string().min(1).max(64),
    category_code: z.string().min(1),
    scope_region_code: z
      .string()
      .regex(/^\d{12}$/)
      .nullable(),
    lead: HandlerRef,
    co_handlers: z.array(HandlerRef),
    legal_basis: LegalBasis,
    limits: Limits,
    escalation: z.enum(ESCALATION_TARGETS),
  })
  .meta({ id: 'ResponsibilityEntry' });

export const TownshipDutySchema = z.object({
  township_code: z.string().regex(/^\d{12}$/),
  category_code: z.string().min(1),
  duty: z.enum(TOWNSHIP_DUTIES),
});

export const ListContentSchema = z.object({
  entries: z.array(ResponsibilityEntrySchema),
  township_duties: z.array(TownshipDutySchema).default([]),
});
