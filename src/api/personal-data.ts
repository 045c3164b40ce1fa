import { z } from 'zod';
import { ReporterKey } from './public-cases.ts';

const Timestamp = z.string().meta({ description: 'ISO 8601, UTC' });

const ReporterData = z
  .object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() })
  .meta({ id: 'ReporterData', description: 'What the reporter gave with the case, opened for them alone' });

export const ReportedCaseData = z
  .object({
    id: z.string(),
    reference: z.string(),
    title: z.string(),
    description: z.string(),
    address: z.string().nullable(),
    status: z.string(),
    reported_at: Timestamp,
    reporter: ReporterData.nullable(),
  })
  .meta({ id: 'ReportedCaseData' });

export const MyPersonalData = z
  .object({
    exported_at: Timestamp,
    account: z.object({
      username: z.string(),
      display_name: z.string(),
      email: z.string().nullable(),
      created_at: Timestamp,
    }),
    cases: z.array(ReportedCaseData),
    follows: z.array(z.object({ reference: z.string(), status: z.string(), since: Timestamp })),
    areas: z.array(
      z.object({
        region_code: z.string().nullable(),
        circle: z.object({ lon: z.number(), lat: z.number(), radius_m: z.number() }).nullable(),
        status: z.string(),
        since: Timestamp,
      }),
    ),
  })
  .meta({ id: 'MyPersonalData' });

export const Erasure = z
  .object({
    erased_cases: z
      .number()
      .int()
      .meta({ description: 'Cases whose reporter data was erased (the cases stay, anonymised)' }),
    account_erased: z.boolean(),
  })
  .meta({ id: 'Erasure' });

export const ReporterKeyBody = z.object({ reporter_key: ReporterKey }).meta({ id: 'ReporterKey' });
