import { z } from 'zod';
import { REGION_LEVELS } from '../core/regions/codes.ts';

/** The error body of every 4xx/5xx response (docs/CONTRACT.md). */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable dotted code, e.g. case.invalid_transition' }),
      message: z.string().meta({ description: '中文说明' }),
      message_en: z.string().meta({ description: 'English message' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const RegionLevel = z.enum(REGION_LEVELS);

export const RegionRef = z
  .object({ code: z.string().length(12), name: z.string(), level: RegionLevel })
  .meta({ id: 'RegionRef' });

export const Region = z
  .object({
    code: z.string().length(12),
    name: z.string(),
    level: RegionLevel,
    parent_code: z.string().length(12).nullable(),
    path: z.array(RegionRef).meta({ description: 'Ancestors from the province down' }),
  })
  .meta({ id: 'Region' });

/** Region codes arrive in any of the 2, 4, 6, 9 or 12 digit forms. */
export const RegionCodeInput = z
  .string()
  .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'a region code has 2, 4, 6, 9 or 12 digits');
