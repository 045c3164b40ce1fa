import type { ReportInput, ReportLocation } from '../cases/report-input.ts';
import type { Store } from '../db/database.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import {
  checkAnswers,
  describeAnswers,
  type CheckedAnswers,
  type RawAnswer,
} from '../core/open311/attributes.ts';
import { mediaUrl } from '../core/open311/visibility.ts';
import { INTAKE_LIMITS } from '../core/workflow/intake.ts';
import { bilingual, fill, OPEN311_TEXTS } from '../i18n/open311.ts';
import { getRegion } from '../regions/find-regions.ts';
import { findJurisdiction, findService, loadDefinitions } from './services-scope.ts';
import { useApiKey, type ApiClient } from './use-api-key.ts';

/** POST requests as the form carries it: every parameter text, `attribute[code]` gathered. */
export interface SubmitRequestInput {
  api_key?: string | undefined;
  jurisdiction_id?: string | undefined;
  service_code?: string | undefined;
  lat?: string | undefined;
  long?: string | undefined;
  address_string?: string | undefined;
  address_id?: string | undefined;
  attributes: Record<string, RawAnswer>;
  email?: string | undefined;
  device_id?: string | undefined;
  account_id?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  phone?: string | undefined;
  description?: string | undefined;
  media_url?: string | undefined;
  /** An uploaded `media` file (multipart), which goes through the photo pipeline. */
  media?: Uint8Array | undefined;
}

/** A submission every Open311 check passed: its client, extras, and the report intake checks next. */
export interface CheckedSubmission {
  client: ApiClient;
  service_code: string;
  answers: CheckedAnswers;
  address_id: string | null;
  device_id: string | null;
  account_id: string | null;
  /** The outside link given as media_url, or null. */
  media_url: string | null;
  /** Intake's report, without its idempotency key; photos hold media_url when given. */
  report: Omit<ReportInput, 'idempotency_key'>;
}

const TEXT_MAX = { name: 64, phone: 32, email: 254, id: 128 } as const;

function opt(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function bounded(name: string, value: string | undefined, max: number): string | undefined {
  const v = opt(value);
  if (v !== undefined && [...v].length > max) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: name,
      rule: `at most ${max} characters`,
    });
  }
  return v;
}

function coordinate(name: 'lat' | 'long', value: string, limit: number): number {
  const n = Number(value);
  if (!/^[+-]?\d+(\.\d+)?$/.test(value) || Math.abs(n) > limit) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: name,
      rule: `a WGS84 degree within ±${limit}`,
    });
  }
  return n;
}

/** Family name first when either part is written in Chinese characters (张 + 三 → 张三). */
function fullName(first: string | undefined, last: string | undefined): string | undefined {
  if (!first && !last) return undefined;
  const cjk = /\p{Script=Han}/u.test(`${first ?? ''}${last ?? ''}`);
  return cjk ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ');
}

/**
 * The Open311 checks of POST requests, shared by production and the test endpoint: the key
 * (right `requests`, rate limit), the service (a leaf category, `open311.service_not_found`), the
 * attribute answers against its definition, the location (lat/long, or address_string /
 * address_id in the jurisdiction's or the key's region) and the texts. Writes only the key's
 * request count. Intake's own checks (checkReport) follow.
 */
export async function checkSubmission(
  deps: { store: Pick<Store, 'db'>; clock: Clock },
  input: SubmitRequestInput,
): Promise<CheckedSubmission> {
  const { db } = deps.store;
  const client = await useApiKey({ db, clock: deps.clock }, input.api_key, 'requests');
  const code = opt(input.service_code);
  if (code === undefined) throw new DomainError('open311.parameter_required', { parameter: 'service_code' });
  const jurisdiction = await findJurisdiction(db, input.jurisdiction_id);
  const { leaf } = await findService(db, jurisdiction, code);
  const definition = (await loadDefinitions(db, [code])).get(code) ?? [];
  const checked = checkAnswers(definition, input.attributes);

  const lat = opt(input.lat);
  const long = opt(input.long);
  if ((lat === undefined) !== (long === undefined)) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: lat ? 'long' : 'lat',
      rule: 'lat and long together',
    });
  }
  const addressString = bounded('address_string', input.address_string, INTAKE_LIMITS.addressMax);
  const addressId = bounded('address_id', input.address_id, TEXT_MAX.id);
  if (lat === undefined && addressString === undefined && addressId === undefined) {
    throw new DomainError('open311.parameter_required', {
      parameter: 'lat/long, address_string or address_id',
    });
  }
  const location: ReportLocation = {
    ...(lat !== undefined && long !== undefined
      ? { lat: coordinate('lat', lat, 90), lon: coordinate('long', long, 180) }
      : {}),
    address:
      addressString ?? (addressId ? bilingual(fill(OPEN311_TEXTS.addressId, { id: addressId })) : undefined),
    // Without a point, the address lies in the jurisdiction's region, else in the key's.
    ...(lat === undefined
      ? { region: (jurisdiction ?? (await getRegion(db, client.region_code))).code }
      : {}),
  };

  const description = opt(input.description);
  if (description !== undefined && [...description].length > INTAKE_LIMITS.descriptionMax) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: 'description',
      rule: `at most ${INTAKE_LIMITS.descriptionMax} characters`,
    });
  }
  const media = opt(input.media_url);
  if (media !== undefined && mediaUrl(media) === null) {
    throw new DomainError('open311.parameter_invalid', { parameter: 'media_url', rule: 'an http(s) URL' });
  }
  const email = bounded('email', input.email, TEXT_MAX.email);
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new DomainError('open311.parameter_invalid', { parameter: 'email', rule: 'an e-mail address' });
  }
  const name = fullName(
    bounded('first_name', input.first_name, TEXT_MAX.name),
    bounded('last_name', input.last_name, TEXT_MAX.name),
  );
  const phone = bounded('phone', input.phone, TEXT_MAX.phone);
  const accountId = bounded('account_id', input.account_id, TEXT_MAX.id) ?? null;
  const deviceId = bounded('device_id', input.device_id, TEXT_MAX.id) ?? null;

  const lines = describeAnswers(definition, checked.answers);
  const base = description ?? leaf.name;
  const withAnswers =
    lines.length > 0 ? `${base}\n\n${bilingual(OPEN311_TEXTS.answers)}:\n${lines.join('\n')}` : base;
  // The answers join the text handlers read when they fit; they are always kept in the submission.
  const caseDescription = [...withAnswers].length <= INTAKE_LIMITS.descriptionMax ? withAnswers : base;
  const firstLine = (description ?? '').split('\n')[0]!.trim();
  const excerpt = [...firstLine].slice(0, 40).join('') + ([...firstLine].length > 40 ? '…' : '');
  const title = excerpt ? `${leaf.name}：${excerpt}` : leaf.name;

  return {
    client,
    service_code: code,
    answers: checked,
    address_id: addressId ?? null,
    device_id: deviceId,
    account_id: accountId,
    media_url: media ?? null,
    report: {
      channel: 'open311',
      category: code,
      title,
      description: caseDescription,
      location,
      photos: media ? [media] : [],
      reporter: name || phone || email ? { name, phone, email } : null,
      anonymous: !(name || phone || email),
    },
  };
}
