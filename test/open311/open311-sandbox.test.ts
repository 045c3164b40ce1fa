import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { fixedClock } from '../../src/core/clock.ts';
import { purgeSandboxRequests } from '../../src/open311/purge-sandbox-requests.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import {
  act,
  bearer,
  KEY,
  parseXml,
  POINT,
  postForm,
  SCHEMAS_MISSING,
  seedOpen311,
  validateJson,
} from './helpers.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
let t: TestApp;

before(async () => {
  t = await makeTestApp((store) => seedOpen311(store, clock), { clock });
  if (SCHEMAS_MISSING) console.log(`# ${SCHEMAS_MISSING}`);
});
after(() => t.close());

const TEST = '/open311/test/v2';
const get = (url: string) => t.app.inject({ url });

/** Rows of every table a real request writes to: the test endpoint must leave them as they are. */
async function footprint(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'cases',
    'case_events',
    'outbox',
    'case_count_deltas',
    'open311_submissions',
    'attachments',
  ] as const) {
    const row = await t.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer; type: string }) {
  const boundary = 'open311media';
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="photo"\r\n` +
          `Content-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  };
}

const photo = () =>
  sharp({ create: { width: 16, height: 12, channels: 3, background: '#2a6' } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: 'a phone' } } })
    .toBuffer();

test('discovery lists production and the test endpoint, so that XML clients see a list of endpoints', async () => {
  const body = (await get('/open311/v2/discovery.json')).json();
  assert.deepEqual(
    body.endpoints.map((e: { type: string; url: string }) => [e.type, e.url]),
    [
      ['production', 'http://localhost:80/open311/v2'],
      ['test', 'http://localhost:80/open311/test/v2'],
    ],
  );
  // The test endpoint answers discovery too, with the same document.
  assert.deepEqual((await get(`${TEST}/discovery.json`)).json(), body);
  // A client that makes a list only of repeated children (no isArray hints) still gets one.
  const xml = (await get('/open311/v2/discovery.xml')).body;
  parseXml(xml);
  const naive = new XMLParser({ parseTagValue: false }).parse(xml) as {
    discovery: { endpoints: { endpoint: unknown } };
  };
  const endpoints = naive.discovery.endpoints.endpoint as Array<{ type: string; url: string }>;
  assert.ok(Array.isArray(endpoints), 'endpoints are a list');
  assert.deepEqual(
    endpoints.map((e) => e.type),
    ['production', 'test'],
  );
});

test('the test endpoint answers like production, and writes no case, event, mail, count or file', async () => {
  const before = await footprint();
  const services = await get(`${TEST}/services.json`);
  assert.equal(services.statusCode, 200);
  assert.deepEqual(services.json(), (await get('/open311/v2/services.json')).json());
  const definition = await get(`${TEST}/services/SJ0503.json`);
  validateJson('service-definition', definition.json());

  const res = await postForm(t, `${TEST}/requests.json`, {
    api_key: KEY,
    service_code: 'SJ0503',
    ...POINT,
    description: '测试：12 号楼北门消防通道被占',
    'attribute[blocking][]': ['fire_lane'],
    email: 'dev@example.com',
    phone: '13800000000',
  });
  assert.equal(res.statusCode, 200, res.body);
  const [answer] = res.json();
  assert.deepEqual(Object.keys(answer), ['service_request_id', 'service_notice', 'account_id']);
  assert.match(answer.service_request_id, /^TEST-[A-Z0-9_-]{16}$/);
  assert.match(answer.service_notice, /测试请求 .* never handled/);

  const one = await get(`${TEST}/requests/${answer.service_request_id}.json`);
  assert.equal(one.statusCode, 200, one.body);
  const requests = one.json();
  validateJson('requests', requests);
  const [request] = requests;
  assert.equal(request.status, 'open');
  assert.match(request.status_notes, /^测试请求.* \/ Test request/);
  assert.equal(request.service_code, 'SJ0503');
  assert.match(request.description, /消防通道被占/);
  assert.equal(request.lat, Number(POINT.lat));
  assert.equal(request.long, Number(POINT.long));
  assert.equal(typeof request.address, 'string');
  assert.ok(request.address.length > 0, 'an address on every request');
  assert.ok(!JSON.stringify(requests).includes('13800000000'), 'no reporter data');
  const xml = parseXml((await get(`${TEST}/requests/${answer.service_request_id}.xml`)).body) as {
    service_requests: { request: Array<Record<string, string>> };
  };
  assert.equal(xml.service_requests.request[0]!.service_request_id, answer.service_request_id);

  const listed = (await get(`${TEST}/requests.json`)).json() as Array<{ service_request_id: string }>;
  validateJson('requests', listed);
  assert.deepEqual(
    listed.map((r) => r.service_request_id),
    [answer.service_request_id],
  );
  assert.deepEqual((await get(`${TEST}/requests.json?status=closed`)).json(), []);

  // Production never sees it, and the test endpoint never shows a real case.
  assert.equal((await get(`/open311/v2/requests/${answer.service_request_id}.json`)).statusCode, 404);
  assert.ok(
    !((await get('/open311/v2/requests.json')).json() as Array<{ service_request_id: string }>).some(
      (r) => r.service_request_id === answer.service_request_id,
    ),
  );
  assert.deepEqual(await footprint(), before);
});

test('the test endpoint searches nearby and pages like production', async () => {
  // About 220 m north of POINT, where no other test of this file reports.
  const here = { long: POINT.long, lat: String(Number(POINT.lat) + 0.002) };
  const ids: string[] = [];
  for (const description of ['测试：路灯不亮', '测试：井盖缺失']) {
    const res = await postForm(t, `${TEST}/requests.json`, {
      api_key: KEY,
      service_code: 'SJ0503',
      ...here,
      description,
      'attribute[blocking][]': ['fire_lane'],
    });
    assert.equal(res.statusCode, 200, res.body);
    ids.push((res.json() as Array<{ service_request_id: string }>)[0]!.service_request_id);
  }
  const near = `lat=${here.lat}&long=${here.long}&radius=50`;
  const idsOf = async (url: string) => {
    const res = await get(url);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as Array<{ service_request_id: string }>).map((r) => r.service_request_id);
  };
  assert.deepEqual((await idsOf(`${TEST}/requests.json?${near}`)).sort(), [...ids].sort());
  const first = await idsOf(`${TEST}/requests.json?${near}&page_size=1`);
  const second = await idsOf(`${TEST}/requests.json?${near}&page_size=1&page=2`);
  assert.equal(first.length, 1);
  assert.equal(second.length, 1);
  assert.deepEqual([...first, ...second].sort(), [...ids].sort());
  assert.deepEqual(await idsOf(`${TEST}/requests.json?${near}&page_size=1&page=3`), []);
  // A kilometre east: none of them.
  const far = `lat=${here.lat}&long=${Number(here.long) + 0.0104}&radius=500`;
  assert.ok(!(await idsOf(`${TEST}/requests.json?${far}`)).some((id) => ids.includes(id)));
  const bad = await get(`${TEST}/requests.json?lat=${here.lat}`);
  assert.equal(bad.statusCode, 400, bad.body);
});

test('the test endpoint refuses what production refuses, with the same status and text', async () => {
  const cases: Array<Record<string, string>> = [
    { service_code: 'SJ0503', ...POINT },
    { api_key: 'no-such-key', service_code: 'SJ0503', ...POINT },
    { api_key: KEY, ...POINT },
    { api_key: KEY, service_code: 'NOPE', ...POINT },
    { api_key: KEY, service_code: 'SJ0102', lat: '30.205' },
    // Outside every grid: intake's own check, which the test endpoint runs as well.
    { api_key: KEY, service_code: 'SJ0102', lat: '39.9', long: '116.4' },
    { api_key: KEY, service_code: 'SJ0503', ...POINT, 'attribute[blocking]': 'no-such-choice' },
  ];
  const before = await footprint();
  for (const fields of cases) {
    const real = await postForm(t, '/open311/v2/requests.json', fields);
    const sandbox = await postForm(t, `${TEST}/requests.json`, fields);
    assert.ok(real.statusCode >= 400, `${JSON.stringify(fields)}: production refuses`);
    assert.equal(sandbox.statusCode, real.statusCode, JSON.stringify(fields));
    assert.deepEqual(sandbox.json(), real.json(), JSON.stringify(fields));
  }
  assert.deepEqual(await footprint(), before);
});

test('a token key gets a token from the test endpoint too; updates are not offered there', async () => {
  const issued = await t.app.inject({
    method: 'POST',
    url: '/api/v1/open311/keys',
    headers: await bearer(t, 'admin'),
    payload: {
      label: '测试客户端',
      rights: ['requests'],
      rate_per_minute: 60,
      region: '330106',
      answer_with_token: true,
    },
  });
  assert.equal(issued.statusCode, 201, issued.body);
  const res = await postForm(t, `${TEST}/requests.xml`, {
    api_key: issued.json().key,
    service_code: 'SJ0102',
    ...POINT,
  });
  assert.equal(res.statusCode, 200, res.body);
  const doc = parseXml(res.body) as { service_requests: { request: Array<{ token: string }> } };
  const token = doc.service_requests.request[0]!.token;
  const found = await get(`${TEST}/tokens/${token}.json`);
  assert.equal(found.statusCode, 200, found.body);
  assert.match(found.json()[0].service_request_id, /^TEST-/);
  assert.equal((await get(`/open311/v2/tokens/${token}.json`)).statusCode, 404);

  const updates = await get(`${TEST}/servicerequestupdates.xml`);
  assert.equal(updates.statusCode, 404);
  const error = parseXml(updates.body) as { errors: { error: Array<{ code: string; description: string }> } };
  assert.equal(error.errors.error[0]!.code, '404');
});

test('test requests are purged a day after they came', async () => {
  const res = await postForm(t, `${TEST}/requests.json`, { api_key: KEY, service_code: 'SJ0102', ...POINT });
  const id = res.json()[0].service_request_id as string;
  const count = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('open311_sandbox_requests')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const all = await count();
  const later = fixedClock(new Date(clock.now().getTime() + 23 * 3600_000));
  assert.deepEqual(await purgeSandboxRequests({ db: t.store.db, clock: later }), { removed: 0 });
  later.advance(3600_000 + 1000);
  const purged = await purgeSandboxRequests({ db: t.store.db, clock: later });
  assert.equal(purged.removed, all);
  assert.equal(await count(), 0);
  assert.equal((await get(`${TEST}/requests/${id}.json`)).statusCode, 404);
});

test('POST requests takes a media file: re-encoded without metadata, shown once the case is public', async () => {
  const jpeg = await photo();
  const upload = multipart(
    { api_key: KEY, service_code: 'SJ0102', ...POINT },
    { name: 'media', data: jpeg, type: 'image/jpeg' },
  );
  const res = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', ...upload });
  assert.equal(res.statusCode, 200, res.body);
  const id = res.json()[0].service_request_id as string;
  const stored = await t.store.db
    .selectFrom('attachments as a')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .select(['a.id', 'a.content_type', 'a.bytes'])
    .where('c.reference', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(stored.content_type, 'image/jpeg');
  const served = await get(`/api/v1/attachments/${stored.id}`);
  // Private until the case is registered; then public, and without the phone's metadata.
  assert.notEqual(served.statusCode, 200);
  const reported = (await get(`/open311/v2/requests/${id}.json`)).json()[0];
  assert.equal(reported.media_url, null);

  await act(t, 'county.center', id, { action: 'register' });
  const [request] = (await get(`/open311/v2/requests/${id}.json`)).json();
  validateJson('requests', [request]);
  assert.equal(request.media_url, `http://localhost:80/api/v1/attachments/${stored.id}`);
  const file = await get(`/api/v1/attachments/${stored.id}`);
  assert.equal(file.statusCode, 200);
  const metadata = await sharp(file.rawPayload).metadata();
  assert.equal(metadata.exif, undefined);
  assert.equal(metadata.width, 16);
});

test('a media file that is no image is refused, in production and on the test endpoint alike', async () => {
  const before = await footprint();
  const fields = { api_key: KEY, service_code: 'SJ0102', ...POINT };
  const text = { name: 'media', data: Buffer.from('not a photo at all'), type: 'image/jpeg' };
  for (const url of ['/open311/v2/requests.json', `${TEST}/requests.json`]) {
    const res = await t.app.inject({ method: 'POST', url, ...multipart(fields, text) });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json()[0].description, /attachment\.unsupported_type/);
  }
  assert.deepEqual(await footprint(), before);
  // A good photo passes the test endpoint's checks and leaves no file behind.
  const ok = await t.app.inject({
    method: 'POST',
    url: `${TEST}/requests.json`,
    ...multipart(fields, { name: 'media', data: await photo(), type: 'image/jpeg' }),
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(await footprint(), before);
});
