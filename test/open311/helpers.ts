import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import type { Clock } from '../../src/core/clock.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { seedDemoOpen311 } from '../../src/open311/seed-demo-open311.ts';
import { seedXihu } from '../helpers/actors.ts';
import type { TestApp } from '../helpers/app.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import type { TestStore } from '../helpers/store.ts';

/** The grid's community: where grid.worker and township.handler of the demo accounts work. */
export const COMMUNITY = '330106002051';
/** A point inside the test grid (lon 120.10–120.12, lat 30.20–30.22). */
export const POINT = { long: '120.105', lat: '30.205' };
export const KEY = 'demo-open311-key';
export const URBAN_KEY = 'demo-open311-urban-key';

/** 西湖区 with the demo accounts, one grid, and the demo's Open311 definitions and keys. */
export async function seedOpen311(store: TestStore, clock: Clock): Promise<void> {
  await seedXihu(store, clock);
  await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
  await importGrids({ store, clock }, collection(gridFeature(COMMUNITY, 1, square(120.1, 30.2, 0.02))));
  await seedDemoOpen311({ db: store.db, clock }, '330106');
}

export function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
  return params.toString();
}

export function postForm(t: TestApp, url: string, fields: Record<string, string | string[]>) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    payload: form(fields),
  });
}

export async function bearer(t: TestApp, username: string): Promise<{ authorization: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password: 'demo' },
  });
  assert.equal(res.statusCode, 200, res.body);
  return { authorization: `Bearer ${res.json().token as string}` };
}

/** Performs one workflow step over HTTP at the case's current version, as a staff member. */
export async function act(t: TestApp, username: string, reference: string, payload: Record<string, unknown>) {
  const headers = await bearer(t, username);
  const row = await t.store.db
    .selectFrom('cases')
    .select(['id', 'version'])
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${row.id}/actions`,
    headers,
    payload: { ...payload, expected_version: row.version },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

// The GeoReport v2 JSON Schemas (open311/schema-validation), outside the repository.
const SCHEMAS = resolve(process.cwd(), '../shared/data/open311-georeport-v2');
export const SCHEMAS_MISSING = existsSync(SCHEMAS)
  ? false
  : `the Open311 JSON Schemas are not at ${SCHEMAS}: schema checks skipped`;

type Validate = (value: unknown) => void;
let validators: Record<string, Validate> | undefined;

/** Validates a JSON answer against one of the official schemas (services, service-definition, requests). */
export function validateJson(schema: 'services' | 'service-definition' | 'requests', value: unknown): void {
  if (SCHEMAS_MISSING) return;
  validators ??= loadValidators();
  validators[schema]!(value);
}

function loadValidators(): Record<string, Validate> {
  // A CommonJS module whose class is also its `default`.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /(Z|[+-]\d{2}:\d{2})$/.test(s));
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  for (const name of ['request', 'service']) {
    ajv.addSchema(JSON.parse(readFileSync(`${SCHEMAS}/${name}.json`, 'utf8')), `${name}.json`);
  }
  const out: Record<string, Validate> = {};
  for (const name of ['services', 'service-definition', 'requests']) {
    const check = ajv.compile(JSON.parse(readFileSync(`${SCHEMAS}/${name}.json`, 'utf8')));
    out[name] = (value) => assert.ok(check(value), `${name}: ${ajv.errorsText(check.errors)}`);
  }
  return out;
}

const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) =>
    ['service', 'attribute', 'value', 'request', 'error', 'endpoint', 'format', 'request_update'].includes(
      name,
    ),
});

/** Checks an XML answer is well-formed, starts with the UTF-8 declaration, and parses it. */
export function parseXml(body: string): Record<string, unknown> {
  assert.ok(body.startsWith('<?xml version="1.0" encoding="utf-8"?>'), body.slice(0, 80));
  const valid = XMLValidator.validate(body);
  assert.equal(valid, true, JSON.stringify(valid));
  return parser.parse(body) as Record<string, unknown>;
}

/** Every answer time is UTC with Z and whole seconds. */
export const W3C_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
