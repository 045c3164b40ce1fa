import { randomUUID } from 'node:crypto';
import { reportCase } from '../cases/report-case.ts';
import type { ReportDeps, ReportLocation } from '../cases/report-input.ts';
import { DomainError } from '../core/errors.ts';
import { checkAnswers, describeAnswers, type RawAnswer } from '../core/open311/attributes.ts';
import { mediaUrl } from '../core/open311/visibility.ts';
import { INTAKE_LIMITS } from '../core/workflow/intake.ts';
import { bilingual, fill, OPEN311_TEXTS } from '../i18n/open311.ts';
import { getRegion } from '../regions/find-regions.ts';
import { findJurisdiction, findService, loadDefinitions } from './services-scope.ts';
import { useApiKey } from './use-api-key.ts';

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
}

/** The answer of POST requests: the request id, or a token for clients whose key asks for one. */
export interface SubmittedRequest {
  service_request_id?: string;
  token?: string;
  service_notice: string;
  account_id: string | null;
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
 * POST requests (docs/open311.md): checks the key (right `requests`, rate limit), the service (a
 * leaf category, `open311.service_not_found`), the attribute answers against its definition, and
 * the location (lat/long, or address_string / address_id in the jurisdiction's or the key's
 * region), then hands the report to intake (`reportCase`, channel `open311`). What intake has no
 * place for (answers, address_id, device and account ids) is kept in `open311_submissions`, written
 * first under the idempotency key the case is then reported with: a case never lacks its extras,
 * and a submission whose report was refused is deleted again.
 */
export async function submitRequest(
  deps: Omit<ReportDeps, 'actor'>,
  input: SubmitRequestInput,
): Promise<SubmittedRequest> {
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

  const token = randomUUID();
  const caseKey = `open311:${token}`;
  await db
    .insertInto('open311_submissions')
    .values({
      token,
      case_key: caseKey,
      api_key_id: client.id,
      service_code: code,
      attributes: JSON.stringify(checked.answers),
      extra_attributes: JSON.stringify(checked.extra),
      address_id: addressId ?? null,
      device_id: deviceId,
      account_id: accountId,
      created_at: deps.clock.now().toISOString(),
    })
    .execute();
  let reference: string;
  try {
    const reported = await reportCase(
      { ...deps, actor: null },
      {
        channel: 'open311',
        category: code,
        title,
        description: caseDescription,
        location,
        photos: media ? [media] : [],
        reporter: name || phone || email ? { name, phone, email } : null,
        anonymous: !(name || phone || email),
        idempotency_key: caseKey,
      },
    );
    reference = reported.reference;
  } catch (error) {
    await db.deleteFrom('open311_submissions').where('token', '=', token).execute();
    throw error;
  }
  const notice = bilingual(fill(OPEN311_TEXTS.serviceNotice, { reference }));
  return client.answer_with_token
    ? { token, service_notice: notice, account_id: accountId }
    : { service_request_id: reference, service_notice: notice, account_id: accountId };
}
