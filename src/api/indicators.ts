import { z } from 'zod';
import { COUNT_KEYS, INDICATOR_KEYS, INDICATORS } from '../core/indicators/indicators.ts';
import {
  MAX_TREND_BUCKETS,
  OVERVIEW_MEASURES,
  TREND_BUCKETS,
  trendBuckets,
} from '../core/indicators/overview.ts';
import { CHANNELS, STAGES } from '../core/workflow/stages.ts';
import { Region, RegionCodeInput, RegionLevel, RegionRef } from './common.ts';

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

const Slice = {
  cases: z.number().int().meta({ description: '上报数: reported in the period' }),
  open: z.number().int().meta({ description: '未结: not closed, voided or merged' }),
  overdue: z.number().int().meta({ description: '超期: the running clock is past its deadline' }),
  closed: z.number().int().meta({ description: '结案数 (closed, fixed or not)' }),
};

const CategoryCode = z.string().regex(/^(?:[0-9A-Z]{2}){1,5}$/, 'a category code');

/** A case as the overview lists it: no personal data and no residents' words. */
const OverviewCase = z
  .object({
    id: z.string(),
    reference: z.string(),
    stage: z.enum(STAGES),
    category_code: z.string().nullable(),
    channel: z.string(),
    region_code: z.string(),
    grid_code: z.string().nullable(),
    owner_department_id: z.string().nullable(),
    reported_at: z.string(),
    stage_deadline: z.string().nullable(),
    overdue: z.boolean(),
    escalation_level: z.number().int(),
    lon: z.number().nullable(),
    lat: z.number().nullable(),
  })
  .meta({ id: 'OverviewCase' });

export const OverviewQuery = z
  .object({
    region: Filters.region,
    from: Filters.from,
    to: Filters.to,
    grid: Filters.grid,
    bucket: z
      .enum(TREND_BUCKETS)
      .default('day')
      .meta({ description: 'Trend by China-time day, week (from Monday) or calendar month' }),
    min_sample: z.coerce.number().int().min(1).max(100000).optional().meta({
      description: 'Below this many cases a department’s rates are marked not meaningful (default 30)',
    }),
  })
  .refine(orderedPeriod, periodMessage)
  .refine((q) => trendBuckets(q.from, q.to, q.bucket).length <= MAX_TREND_BUCKETS, {
    message: `at most ${MAX_TREND_BUCKETS} trend buckets: choose a longer bucket`,
    path: ['bucket'],
  });

export const OverviewResponse = z
  .object({
    region: Region,
    grid: z.object({ code: z.string(), name: z.string() }).nullable(),
    from: z.string(),
    to: z.string(),
    bucket: z.enum(TREND_BUCKETS),
    as_of: z.string().meta({ description: 'The instant open and overdue were judged at (ISO 8601, UTC)' }),
    min_sample: z.number().int(),
    totals: z.object({
      ...Slice,
      escalated: z.number().int().meta({ description: '已升级: went up to a higher command centre' }),
      supervised: z.number().int().meta({ description: '已督办: a command centre supervised it' }),
      returned: z.number().int().meta({ description: '被退回: returned by a department at least once' }),
    }),
    children: z
      .array(
        z.object({
          code: z.string(),
          name: z.string(),
          kind: z.enum(['region', 'grid']),
          level: z.union([RegionLevel, z.literal('grid')]),
          ...Slice,
        }),
      )
      .meta({ description: 'The next level down (regions, or the grids of a community); empty for a grid' }),
    trend: z.array(
      z.object({
        start: z.string().meta({ description: 'First day of the bucket' }),
        first: z.string().meta({ description: 'First day of the bucket inside the period' }),
        last: z.string().meta({ description: 'Last day of the bucket inside the period' }),
        ...Slice,
      }),
    ),
    categories: z
      .array(z.object({ code: z.string().nullable(), ...Slice }))
      .meta({ description: 'By 二级 category (the first two segments of the code), most cases first' }),
    channels: z.array(z.object({ channel: z.string(), ...Slice })),
    grids: z
      .array(z.object({ code: z.string(), ...Slice }))
      .meta({ description: 'Every grid with a case in the period; the others have none' }),
    departments: z.array(
      z.object({
        id: z.string(),
        should_handle: z.number().int().meta({ description: '应处置数 of the cases it owns' }),
        handled_on_time: z.number().int(),
        on_time_rate: z.number().nullable().meta({ description: 'handled_on_time / should_handle' }),
        dispatched_to: z.number().int().meta({ description: 'Cases dispatched to it (at any time)' }),
        returned: z.number().int().meta({ description: 'Cases it returned (回退)' }),
        return_rate: z.number().nullable().meta({ description: 'returned / dispatched_to' }),
        meaningful: z.boolean().meta({ description: 'Both denominators reach min_sample' }),
      }),
    ),
    recent: z
      .object({ escalated: z.array(OverviewCase), supervised: z.array(OverviewCase) })
      .meta({ description: 'The latest reported escalated and supervised cases (5 of each)' }),
  })
  .meta({ id: 'Overview' });

export const OverviewCasesQuery = z
  .object({
    region: Filters.region,
    from: Filters.from,
    to: Filters.to,
    measure: z.enum(OVERVIEW_MEASURES).meta({ description: 'The number whose cases to list, e.g. overdue' }),
    grid: Filters.grid,
    department: Filters.department.meta({
      description:
        'For dispatched_to and returned: the department it was dispatched to / that returned it; otherwise the current owner',
    }),
    category: CategoryCode.optional().meta({ description: 'The category and its subcategories' }),
    channel: z.enum(CHANNELS).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .refine(orderedPeriod, periodMessage);

export const OverviewCasesResponse = z
  .object({
    total: z
      .number()
      .int()
      .meta({ description: 'Equals the number the overview shows for the same filters' }),
    as_of: z.string(),
    items: z.array(OverviewCase),
  })
  .meta({ id: 'OverviewCases' });
