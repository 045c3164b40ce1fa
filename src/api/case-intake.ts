import { z } from 'zod';
import { INTAKE_LIMITS } from '../core/workflow/intake.ts';
import { CHANNELS, STAGES } from '../core/workflow/stages.ts';
import { Region, RegionCodeInput } from './common.ts';
import { GridRef } from './grids.ts';

const L = INTAKE_LIMITS;

export const CaseLocation = z
  .object({
    lon: z.number().min(-180).max(180).optional().meta({ description: 'WGS84 longitude' }),
    lat: z.number().min(-90).max(90).optional().meta({ description: 'WGS84 latitude' }),
    address: z.string().max(L.addressMax).optional(),
    region: RegionCodeInput.optional().meta({
      description: 'Region of the address (county or below); needed when there is no point',
    }),
  })
  .meta({ id: 'CaseLocation', description: 'A point (lon and lat) and/or an address with its region' });

export const CaseIntakeBody = z
  .object({
    channel: z.enum(CHANNELS).meta({ description: 'web and open311 for residents; the rest for staff' }),
    category: z
      .string()
      .regex(/^[0-9A-Z]{2,10}$/, 'a category code')
      .nullish()
      .meta({ description: 'A leaf category code; residents may leave it to the registrar' }),
    title: z.string().max(L.titleMax),
    description: z.string().max(L.descriptionMax),
    location: CaseLocation.optional(),
    photos: z.array(z.string().min(1).max(2048)).max(L.photosMax).optional(),
    reporter: z
      .object({
        name: z.string().max(64).optional(),
        phone: z.string().max(32).optional(),
        email: z.email().max(254).optional(),
      })
      .optional()
      .meta({ description: 'Who reported; shown only to staff who handle the case' }),
    anonymous: z.boolean().optional().meta({ description: 'true: no identity is kept' }),
    idempotency_key: z.string().min(1).max(L.idempotencyKeyMax).optional().meta({
      description:
        'A retried submission with the same key returns the first case (also as header Idempotency-Key)',
    }),
  })
  .meta({ id: 'CaseIntake' });

export const DuplicateSuggestion = z
  .object({
    id: z.string(),
    reference: z.string(),
    distance_m: z.number(),
    reported_at: z.string(),
  })
  .meta({ id: 'DuplicateSuggestion', description: 'An open case of the same category nearby' });

export const CaseIntakeResponse = z.object({
  id: z.string(),
  reference: z.string().meta({ description: 'County, China date and sequence: 330106-20260302-00017' }),
  status: z.enum(STAGES),
  version: z.number().int(),
  channel: z.enum(CHANNELS),
  category: z.string().nullable(),
  grid: GridRef.nullable(),
  region: Region.meta({ description: 'The community of the grid, or the region of the address' }),
  reported_at: z.string(),
  duplicates: z.array(DuplicateSuggestion),
  created: z
    .boolean()
    .meta({ description: 'false when an idempotent retry returned the first case (HTTP 200)' }),
  reporter_key: z.string().optional().meta({
    description:
      'Only for a reporter who is not signed in: the secret (shown once) that lets them confirm and rate this case',
  }),
});

export const CaseIdParams = z.object({ id: z.string().min(1).max(36) });

export const CaseDuplicatesResponse = z.object({ duplicates: z.array(DuplicateSuggestion) });
