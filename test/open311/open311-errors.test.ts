import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps } from '../../src/http/deps.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { bearer, KEY, parseXml, POINT, postForm, seedOpen311 } from './helpers.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
let t: TestApp;

before(async () => {
  t = await makeTestApp((store) => seedOpen311(store, clock), { clock });
});
after(() => t.close());

const valid = { api_key: KEY, service_code: 'SJ0102', ...POINT, description: '垃圾' };

/** The spec's error body: `[{"code", "description"}]`, the code being the HTTP status. */
function jsonError(res: { statusCode: number; json(): unknown; body: string }, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json() as Array<{ code: number; description: string }>;
  assert.equal(body.length, 1);
  assert.deepEqual(Object.keys(body[0]!), ['code', 'description']);
  assert.equal(body[0]!.code, status);
  assert.ok(body[0]!.description.includes(code), body[0]!.description);
}

function xmlError(res: { statusCode: number; body: string }, status: number) {
  assert.equal(res.statusCode, status, res.body);
  const doc = parseXml(res.body) as { errors: { error: Array<{ code: string; description: string }> } };
  assert.equal(doc.errors.error[0]!.code, String(status));
  assert.ok(doc.errors.error[0]!.description.length > 0);
}

async function issue(rate: number, rights = ['requests']): Promise<{ id: string; key: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/open311/keys',
    headers: await bearer(t, 'admin'),
    payload: { label: '测试客户端', rights, rate_per_minute: rate, region: '330106' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

test('a missing or unknown api_key is 403 in the spec’s format, JSON and XML', async () => {
  const { api_key: _key, ...keyless } = valid;
  jsonError(await postForm(t, '/open311/v2/requests.json', keyless), 403, 'open311.key_required');
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...valid, api_key: 'nope' }),
    403,
    'open311.key_invalid',
  );
  xmlError(await postForm(t, '/open311/v2/requests.xml', { ...valid, api_key: 'nope' }), 403);
});

test('a revoked key is 403, a key without the right is 403', async () => {
  const { id, key } = await issue(10);
  const ok = await postForm(t, '/open311/v2/requests.json', { ...valid, api_key: key });
  assert.equal(ok.statusCode, 200, ok.body);
  const revoked = await t.app.inject({
    method: 'POST',
    url: `/api/v1/open311/keys/${id}/revoke`,
    headers: await bearer(t, 'admin'),
  });
  assert.equal(revoked.statusCode, 200, revoked.body);
  assert.ok(revoked.json().revoked_at);
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...valid, api_key: key }),
    403,
    'open311.key_revoked',
  );

  const updatesOnly = await issue(10, ['updates']);
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...valid, api_key: updatesOnly.key }),
    403,
    'open311.key_forbidden',
  );
  const requestsOnly = await issue(10, ['requests']);
  jsonError(
    await t.app.inject({ url: `/open311/v2/servicerequestupdates.json?api_key=${requestsOnly.key}` }),
    403,
    'open311.key_forbidden',
  );
});

test('a key over its per-minute limit is 429 until the next minute, also after a restart', async () => {
  clock.set('2026-03-02T09:10:00+08:00');
  const { key } = await issue(2);
  for (let i = 0; i < 2; i++) {
    const res = await postForm(t, '/open311/v2/requests.json', { ...valid, api_key: key });
    assert.equal(res.statusCode, 200, res.body);
  }
  clock.set('2026-03-02T09:10:40+08:00');
  const limited = await postForm(t, '/open311/v2/requests.json', { ...valid, api_key: key });
  jsonError(limited, 429, 'open311.rate_limited');
  assert.equal(limited.headers['retry-after'], '20');
  const count = await t.store.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  // A second server over the same database sees the same window: the count lives in the key's row.
  const restarted = await buildApp(makeAppDeps(t.store, clock, 0), { logLevel: 'silent' });
  try {
    const again = await restarted.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...valid, api_key: key }).toString(),
    });
    xmlError(again, 429);
  } finally {
    await restarted.close();
  }
  const after = await t.store.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(after.n), Number(count.n), 'a refused request writes no case');

  clock.set('2026-03-02T09:11:00+08:00');
  const next = await postForm(t, '/open311/v2/requests.json', { ...valid, api_key: key });
  assert.equal(next.statusCode, 200, next.body);
});

test('an unknown service, request, token or jurisdiction is 404', async () => {
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...valid, service_code: 'ZZ9999' }),
    404,
    'open311.service_not_found',
  );
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...valid, service_code: 'BJ01' }),
    404,
    'open311.service_not_found',
  );
  jsonError(
    await t.app.inject({ url: '/open311/v2/services/ZZ9999.json' }),
    404,
    'open311.service_not_found',
  );
  xmlError(await t.app.inject({ url: '/open311/v2/services/ZZ9999.xml' }), 404);
  jsonError(
    await t.app.inject({ url: '/open311/v2/requests/330106-20990101-00001.json' }),
    404,
    'open311.request_not_found',
  );
  jsonError(
    await t.app.inject({ url: '/open311/v2/tokens/no-such-token.json' }),
    404,
    'open311.token_not_found',
  );
  jsonError(
    await t.app.inject({ url: '/open311/v2/services.json?jurisdiction_id=999999' }),
    404,
    'open311.jurisdiction_not_found',
  );
  jsonError(await t.app.inject({ url: '/open311/v2/nothing.json' }), 404, 'route.not_found');
  jsonError(await t.app.inject({ url: '/open311/v2/requests/x.txt' }), 404, 'route.not_found');
  xmlError(await t.app.inject({ url: '/open311/v2/nothing.xml' }), 404);
});

test('a missing location, service code or bad attribute is 400 and writes nothing', async () => {
  const before = await t.store.db
    .selectFrom('open311_submissions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const { lat: _lat, long: _long, ...nowhere } = valid;
  jsonError(await postForm(t, '/open311/v2/requests.json', nowhere), 400, 'open311.parameter_required');
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...nowhere, lat: '30.2' }),
    400,
    'open311.parameter_invalid',
  );
  const { service_code: _code, ...serviceless } = valid;
  jsonError(await postForm(t, '/open311/v2/requests.json', serviceless), 400, 'open311.parameter_required');
  const cover = { ...valid, service_code: 'BJ0101' };
  jsonError(await postForm(t, '/open311/v2/requests.json', cover), 400, 'open311.attribute_invalid');
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...cover, 'attribute[cover_state]': 'stolen' }),
    400,
    'open311.attribute_invalid',
  );
  xmlError(
    await postForm(t, '/open311/v2/requests.xml', {
      ...valid,
      service_code: 'SJ0401',
      'attribute[area_m2]': 'big',
      'attribute[lanes_blocked]': 'no',
    }),
    400,
  );
  // Outside every grid: intake refuses, and the submission written first is removed again.
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...valid, lat: '39.9', long: '116.4' }),
    400,
    'geo.no_grid',
  );
  jsonError(
    await postForm(t, '/open311/v2/requests.json', { ...valid, media_url: 'javascript:alert(1)' }),
    400,
    'media_url',
  );
  const afterwards = await t.store.db
    .selectFrom('open311_submissions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(afterwards.n), Number(before.n));
});

test('GET requests refuses a window over 90 days and an unknown status with 400', async () => {
  jsonError(
    await t.app.inject({
      url: '/open311/v2/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z',
    }),
    400,
    'open311.parameter_invalid',
  );
  xmlError(await t.app.inject({ url: '/open311/v2/requests.xml?status=pending' }), 400);
});
