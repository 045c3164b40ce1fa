import { z } from 'zod';
import { DEADLINE_UNITS } from '../core/calendar/deadlines.ts';
import { RegionCodeInput } from './common.ts';

/** The largest amount accepted: 10 000 hours or days keeps every deadline within this century. */
export const MAX_AMOUNT = 10_000;

/**
 * An instant with its offset (`Z` or `+08:00`). An unencoded `+` in a query string arrives as a
 * space, so `2026-02-13T16:00:00 08:00` is read as `+08:00` rather than refused.
 */
export const Instant = z
  .string()
  .trim()
  .transform((s) => s.replace(/ (\d{2}:\d{2})$/, '+$1'))
  .pipe(z.iso.datetime({ offset: true }))
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date and time');

export const DeadlineUnit = z.enum(DEADLINE_UNITS);

export const DeadlineQuery = z.object({
  start: Instant.meta({ description: 'ISO 8601 with offset, e.g. 2026-02-13T16:00:00+08:00' }),
  amount: z
    .string()
    .regex(/^\d{1,5}(\.\d{1,4})?$/, 'a non-negative decimal number, e.g. 3 or 1.5')
    .transform(Number)
    .pipe(z.number().max(MAX_AMOUNT))
    .meta({ description: `The time limit, 0 to ${MAX_AMOUNT}` }),
  unit: DeadlineUnit,
  region: RegionCodeInput.optional().meta({
    description: 'Whose work periods apply (the nearest region up its ancestry that sets them)',
  }),
});

export const DeadlineResponse = z.object({
  deadline: z.string().meta({ description: 'ISO 8601 with offset +08:00' }),
  unit: DeadlineUnit,
  amount: z.number(),
  start: z.string().meta({ description: 'The start, in +08:00' }),
  region: z.string().length(12).nullable().meta({ description: '12-digit code; null: national default' }),
});

/**
 * A year's arrangement as `loadHolidayYear` takes it. Dates are checked by the use case, which
 * lists every problem at once (calendar.year_rejected, 422), so they are plain strings here.
 */
export const HolidayYearBody = z.object({
  year: z.number().int(),
  notice: z.string().meta({ description: 'The notice that announced it, e.g. 国办发明电〔2024〕12号' }),
  holidays: z
    .record(z.string(), z.array(z.string()))
    .meta({ description: 'Festival name → dates YYYY-MM-DD, e.g. { "春节": ["2027-02-06", …] }' }),
  makeupDays: z.array(z.string()).meta({ description: '调休: weekend days that are worked' }),
});

export const LoadedYearResponse = z.object({
  year: z.number().int(),
  replaced: z.boolean(),
  holidays: z.number().int(),
  makeup_days: z.number().int(),
});

export const HolidayYearsResponse = z.object({
  items: z.array(
    z.object({
      year: z.number().int(),
      notice: z.string(),
      source: z.enum(['loaded', 'shipped']),
      shipped: z.boolean(),
      loaded_at: z.string().nullable(),
      holiday_days: z.number().int(),
      makeup_days: z.number().int(),
    }),
  ),
});

const WorkPeriodSchema = z.object({
  start: z.string().meta({ description: 'HH:MM, e.g. 08:30' }),
  end: z.string().meta({ description: 'HH:MM, exclusive' }),
});

export const WorkPeriodsBody = z.object({
  region: RegionCodeInput,
  periods: z
    .array(WorkPeriodSchema)
    .nullable()
    .meta({ description: 'null removes the setting: the region inherits again' }),
});

export const WorkPeriodsResponse = z.object({
  region: z.string().length(12),
  periods: z.array(WorkPeriodSchema).nullable(),
});

export const WorkPeriodsQuery = z.object({ region: RegionCodeInput });
export const WorkPeriodsInForce = z.object({
  region: z.string().length(12),
  periods: z.array(WorkPeriodSchema),
  periods_from: z.string().length(12).nullable().meta({
    description: 'The region whose setting applies (itself or its nearest ancestor); null: the default',
  }),
});
