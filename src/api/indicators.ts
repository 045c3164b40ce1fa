import { z } from 'zod';
import { COUNT_KEYS, INDICATOR_KEYS, INDICATORS } from '../core/indicators/indicators.ts';
import { RegionCodeInput, RegionRef } from './common.ts';

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar day',
  );

const Filters = {
  region: RegionCodeInput.meta({ description: 'Region subtree, e.g. 330106 (every case below counts)' }),
  from: Day.meta({ description: 'First day (China time, inclusive) of report, e.g. 2026-01-01' }),
  to: Day.meta({ description: 'Last day (China time, inclusive) of report, e.g. 2026-12-31' }),
  department: z.string().min(1).max(64).optional().meta({ description: 'Only cases this department owns' }),
  grid: z.string().min(1).max(15).optional().meta({ description: 'Only cases of this grid' }),
};

const orderedPeriod = (q: { from: string; to: string }) => q.from <= q.to;
const periodMessage = { message: 'from must not be after to', path: ['to'] };

export const IndicatorsQuery = z
  .object({
    ...Filters,
    min_sample: z.coerce.number().int().min(1).max(100000).optional().meta({
      description: 'Denominator below which a rate is marked not meaningful (default 30)',
    }),
  })
  .refine(orderedPeriod, periodMessage);

const CountKey = z.enum(COUNT_KEYS);

export const IndicatorValue = z
  .object({
    value: z.number().nullable().meta({
      description: 'A share in [0, 1] (hours for avg_handling_hours); null when the denominator is 0',
    }),
    numerator: z.number(),
    denominator: z.number(),
    numerator_key: CountKey,
    denominator_key: CountKey,
    meaningful: z.boolean().meta({ description: 'False when the denominator is below min_sample' }),
    formula_key: z.enum(INDICATOR_KEYS).meta({ description: 'Section of docs/indicators.md' }),
    numerator_cases_url: z.string(),
    denominator_cases_url: z.string(),
  })
  .meta({ id: 'IndicatorValue' });

export const IndicatorsResponse = z
  .object({
    region: RegionRef,
    from: z.string(),
    to: z.string(),
    department: z.string().nullable(),
    grid: z.string().nullable(),
    min_sample: z.number().int(),
    counts: z.object(
      Object.fromEntries(COUNT_KEYS.map((k) => [k, z.number()])) as Record<
        (typeof COUNT_KEYS)[number],
        z.ZodNumber
      >,
    ),
    indicators: z.object(
      Object.fromEntries(
        INDICATOR_KEYS.map((k) => [k, IndicatorValue.meta({ description: INDICATORS[k].zh })]),
      ) as Record<(typeof INDICATOR_KEYS)[number], typeof IndicatorValue>,
    ),
  })
  .meta({ id: 'Indicators' });

export const IndicatorCasesQuery = z
  .object({
    ...Filters,
    count: CountKey.meta({ description: 'The base count whose cases to list, e.g. handled_on_time' }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .refine(orderedPeriod, periodMessage);

export const IndicatorCasesResponse = z.object({
  total: z.number().int().meta({ description: 'Equals the count the indicators show for the same filters' }),
  items: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      stage: z.string(),
      region_code: z.string(),
      grid_code: z.string().nullable(),
      owner_department_id: z.string().nullable(),
      reported_at: z.string(),
    }),
  ),
});
