import { z } from 'zod';
import { ATTRIBUTE_DATATYPES, ATTRIBUTE_LIMITS } from '../core/open311/attributes.ts';
import { API_KEY_RIGHTS } from '../core/open311/api-key-rights.ts';
import { RegionCodeInput } from './common.ts';

const Rights = z.array(z.enum(API_KEY_RIGHTS)).min(1).meta({
  description: 'requests: POST requests; updates: the servicerequestupdates exchange',
});
const Rate = z.number().int().min(1).max(100_000).meta({ description: 'Keyed requests per minute' });

export const ApiKeyIssueBody = z
  .object({
    label: z.string().min(1).max(100).meta({ description: 'Who the client is, e.g. 随手拍 App' }),
    rights: Rights,
    rate_per_minute: Rate,
    region: RegionCodeInput.optional().meta({
      description:
        'Where address-only reports lie and which cases the update feed covers; your scope by default',
    }),
    username: z.string().min(1).max(64).optional().meta({
      description: 'The staff account whose permissions posted status updates act with',
    }),
    answer_with_token: z.boolean().optional().meta({
      description: 'POST requests answers with a token (GET tokens/{token}) instead of the request id',
    }),
  })
  .meta({ id: 'Open311ApiKeyIssue' });

export const ApiKeyChangeBody = z
  .object({
    label: z.string().min(1).max(100).optional(),
    rights: Rights.optional(),
    rate_per_minute: Rate.optional(),
    username: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .meta({ description: 'null unbinds the account' }),
    answer_with_token: z.boolean().optional(),
  })
  .meta({ id: 'Open311ApiKeyChange' });

export const ApiKeyParams = z.object({ id: z.string().min(1).max(36) });

export const ApiKey = z
  .object({
    id: z.string(),
    label: z.string(),
    rights: z.array(z.enum(API_KEY_RIGHTS)),
    username: z.string().nullable(),
    region: z.string(),
    answer_with_token: z.boolean(),
    rate_per_minute: z.number().int(),
    created_at: z.string(),
    created_by: z.string(),
    revoked_at: z.string().nullable(),
    revoked_by: z.string().nullable(),
    last_used_at: z.string().nullable(),
  })
  .meta({ id: 'Open311ApiKey', description: 'An Open311 API key; the key itself is shown only when issued' });

export const ApiKeyIssued = ApiKey.extend({
  key: z.string().meta({ description: 'The API key, shown this once: only its SHA-256 is kept' }),
}).meta({ id: 'Open311ApiKeyIssued' });

export const ApiKeyList = z.object({ items: z.array(ApiKey) });

const L = ATTRIBUTE_LIMITS;

export const ServiceAttribute = z
  .object({
    code: z.string().min(1).max(L.codeMax),
    order: z.number().int().min(1),
    datatype: z.enum(ATTRIBUTE_DATATYPES),
    variable: z.boolean().default(true),
    required: z.boolean().default(false),
    description: z
      .string()
      .min(1)
      .max(L.descriptionMax)
      .meta({ description: 'The question, Chinese / English' }),
    datatype_description: z.string().max(L.descriptionMax).nullable().default(null),
    values: z
      .array(z.object({ key: z.string().min(1).max(L.codeMax), name: z.string().min(1).max(200) }))
      .max(L.valuesMax)
      .default([]),
  })
  .meta({ id: 'Open311ServiceAttribute' });

export const ServiceDefinitionParams = z.object({
  code: z.string().regex(/^[0-9A-Z]{2,10}$/, 'a category code'),
});

export const ServiceDefinitionBody = z
  .object({ attributes: z.array(ServiceAttribute).max(L.attributesMax) })
  .meta({ id: 'Open311ServiceDefinitionInput' });

export const ServiceDefinitionResponse = z
  .object({ service_code: z.string(), attributes: z.array(ServiceAttribute) })
  .meta({ id: 'Open311ServiceDefinition' });
