import { readReporters } from '../../src/personal/reporter-data.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { makeCase } from '../helpers/cases.ts';
import {
  act,
  COMMUNITY,
  KEY,
  parseXml,
  POINT,
  postForm,
  SCHEMAS_MISSING,
  seedOpen311,
  validateJson,
  W3C_UTC,
} from './helpers.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
let t: TestApp;

before(async () => {
  t = await makeTestApp((store) => seedOpen311(store, clock), { clock });
  if (SCHEMAS_MISSING) console.log(`# ${SCHEMAS_MISSING}`);
});
after(() => t.close());

const get = (url: string) => t.app.inject({ url });

interface Request311 {
  service_request_id: string;
  status: string;
  status_notes: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

async function listJson(query: string): Promise<Request311[]> {
  const res = await get(`/open311/v2/requests.json${query}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.headers['content-type'] as string, /^application\/json; charset=utf-8/);
  validateJson('requests', res.json());
  return res.json();
}

async function submit(fields: Record<string, string | string[]>): Promise<string> {
  const res = await postForm(t, '/open311/v2/requests.json', { api_key: KEY, ...POINT, ...fields });
  assert.equal(res.statusCode, 200, res.body);
  const [answer] = res.json() as Array<{ service_request_id: string }>;
  return answer!.service_request_id;
}

test('discovery names this endpoint, the GeoReport v2 specification and both formats', async () => {
  const json = await get('/open311/v2/discovery.json');
  assert.equal(json.statusCode, 200);
  const body = json.json();
  assert.deepEqual(Object.keys(body), ['changeset', 'contact', 'key_service', 'endpoints']);
  assert.equal(body.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.equal(body.endpoints[0].url, 'http://localhost:80/open311/v2');
  assert.deepEqual(body.endpoints[0].formats, ['text/xml', 'application/json']);
  assert.match(body.changeset, W3C_UTC);

  const xml = await get('/open311/v2/discovery.xml');
  assert.match(xml.headers['content-type'] as string, /^text\/xml; charset=utf-8/);
  const doc = parseXml(xml.body) as {
    discovery: { endpoints: { endpoint: Array<{ formats: { format: string[] } }> } };
  };
  assert.deepEqual(doc.discovery.endpoints.endpoint[0]!.formats.format, ['text/xml', 'application/json']);
});

test('services list the leaf categories with their group, keywords and metadata, in JSON and XML', async () => {
  const res = await get('/open311/v2/services.json');
  assert.equal(res.statusCode, 200);
  const services = res.json() as Array<Record<string, unknown>>;
  validateJson('services', services);
  const cover = services.find((s) => s.service_code === 'BJ0101')!;
  assert.deepEqual(cover, {
    service_code: 'BJ0101',
    service_name: '上水井盖 / Water-supply manhole cover',
    description: '部件 › 公用设施 › 上水井盖 / Components › Public utilities › Water-supply manhole cover',
    metadata: true,
    type: 'realtime',
    keywords: '上水井盖,Water-supply manhole cover,公用设施,Public utilities,部件,Components',
    group: '部件 / Components',
  });
  assert.equal(services.find((s) => s.service_code === 'SJ0102')!.metadata, false);
  assert.ok(!services.some((s) => s.service_code === 'BJ01'), 'only leaves are services');

  const xml = parseXml((await get('/open311/v2/services.xml')).body) as {
    services: { service: Array<Record<string, string>> };
  };
  const node = xml.services.service.find((s) => s.service_code === 'BJ0101')!;
  assert.deepEqual(Object.keys(node), [
    'service_code',
    'service_name',
    'description',
    'metadata',
    'type',
    'keywords',
    'group',
  ]);
  assert.equal(node.metadata, 'true');
  assert.equal(xml.services.service.length, services.length);

  const inCounty = (await get('/open311/v2/services.json?jurisdiction_id=330106')).json() as unknown[];
  assert.equal(inCounty.length, services.length, 'the county sees the province taxonomy');
});

test('a service definition lists its questions with every field of the spec, in order', async () => {
  const res = await get('/open311/v2/services/BJ0101.json');
  assert.equal(res.statusCode, 200, res.body);
  const definition = res.json();
  validateJson('service-definition', definition);
  assert.equal(definition.service_code, 'BJ0101');
  assert.deepEqual(
    definition.attributes.map((a: { code: string; order: number }) => [a.code, a.order]),
    [
      ['cover_state', 1],
      ['at_risk', 2],
      ['safety_notice', 3],
    ],
  );
  assert.deepEqual(Object.keys(definition.attributes[0]), [
    'variable',
    'code',
    'datatype',
    'required',
    'datatype_description',
    'order',
    'description',
    'values',
  ]);
  assert.deepEqual(definition.attributes[0].values[0], { key: 'missing', name: '缺失 / Missing' });
  assert.equal(definition.attributes[2].variable, false);

  const datatypes = new Set<string>();
  for (const code of ['BJ0101', 'SJ0401', 'SJ0503', 'MD0101']) {
    const body = (await get(`/open311/v2/services/${code}.json`)).json();
    validateJson('service-definition', body);
    for (const a of body.attributes) datatypes.add(a.datatype);
  }
  assert.deepEqual([...datatypes].sort(), [
    'datetime',
    'multivaluelist',
    'number',
    'singlevaluelist',
    'string',
    'text',
  ]);

  const xml = parseXml((await get('/open311/v2/services/BJ0101.xml')).body) as {
    service_definition: { service_code: string; attributes: { attribute: Array<Record<string, unknown>> } };
  };
  const first = xml.service_definition.attributes.attribute[0]! as {
    values: { value: Array<{ key: string }> };
  };
  assert.equal(xml.service_definition.service_code, 'BJ0101');
  assert.deepEqual(
    first.values.value.map((v) => v.key),
    ['missing', 'broken', 'sunken', 'rattles'],
  );

  const plain = (await get('/open311/v2/services/SJ0102.json')).json();
  assert.deepEqual(plain, { service_code: 'SJ0102', attributes: [] });
});

test('a request goes from POST with attributes to GET by id, and a staff step shows in GET requests', async () => {
  const res = await postForm(t, '/open311/v2/requests.json', {
    api_key: KEY,
    service_code: 'BJ0101',
    ...POINT,
    description: '人行道上的井盖不见了，很危险',
    'attribute[cover_state]': 'missing',
    'attribute[at_risk][]': ['pedestrians', 'cyclists'],
    first_name: '三',
    last_name: '张',
    phone: '13800138000',
    email: 'zhang@example.com',
    account_id: 'acct-42',
    device_id: 'device-7',
    media_url: 'https://photos.example.com/cover.jpg',
  });
  assert.equal(res.statusCode, 200, res.body);
  const [answer] = res.json();
  assert.deepEqual(Object.keys(answer), ['service_request_id', 'service_notice', 'account_id']);
  assert.match(answer.service_request_id, /^330106-20260302-\d{5}$/);
  assert.match(answer.service_notice, new RegExp(answer.service_request_id));
  assert.equal(answer.account_id, 'acct-42');
  const id: string = answer.service_request_id;

  const stored = await t.store.db
    .selectFrom('cases')
    .selectAll()
    .where('reference', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(stored.channel, 'open311');
  assert.equal(stored.category_code, 'BJ0101');
  assert.equal((await readReporters(t.store.db, t.store.keyring, [stored.id])).get(stored.id)?.name, '张三');
  assert.match(stored.description, /井盖状况 \/ Cover condition: 缺失 \/ Missing/);
  assert.match(stored.description, /危及对象 \/ Who is at risk: 行人 \/ Pedestrians、非机动车 \/ Cyclists/);

  const one = await get(`/open311/v2/requests/${id}.json`);
  assert.equal(one.statusCode, 200, one.body);
  validateJson('requests', one.json());
  const [request] = one.json() as Request311[];
  assert.equal(request!.status, 'open');
  assert.equal(request!.status_notes, '已上报 / Reported');
  assert.equal(request!.service_code, 'BJ0101');
  assert.equal(request!.lat, 30.205);
  assert.equal(request!.long, 120.105);
  assert.equal(request!.media_url, 'https://photos.example.com/cover.jpg');
  assert.equal(request!.requested_datetime, '2026-03-02T01:00:00Z');
  for (const secret of ['张三', '13800138000', 'zhang@example.com', 'acct-42', 'device-7']) {
    assert.ok(!one.body.includes(secret), `GET must not show ${secret}`);
  }

  const xml = parseXml((await get(`/open311/v2/requests/${id}.xml`)).body) as {
    service_requests: { request: Array<Record<string, string>> };
  };
  assert.deepEqual(Object.keys(xml.service_requests.request[0]!), Object.keys(request!));
  assert.equal(xml.service_requests.request[0]!.status, 'open');

  await act(t, 'county.center', id, { action: 'register' });
  // The demo list gives water covers to 住建, which has no demo account: 城管 is chosen, with a reason.
  await act(t, 'county.center', id, {
    action: 'dispatch',
    department_id: 'dept-330106-urban',
    reason: '城管先行处置',
  });
  await act(t, 'dept.urban', id, { action: 'accept' });
  const [handled] = await listJson(`?service_request_id=${id}`);
  assert.equal(handled!.status, 'open');
  assert.equal(handled!.status_notes, '处置中 / Being handled');
  const owner = await t.store.db
    .selectFrom('cases')
    .innerJoin('departments', 'departments.id', 'cases.owner_department_id')
    .select('departments.name')
    .where('reference', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(handled!.agency_responsible, owner.name);
  assert.match(handled!.updated_datetime!, W3C_UTC);

  const voided = await submit({ service_code: 'SJ0102', description: '重复上报' });
  await act(t, 'county.center', voided, { action: 'void', reason: '重复上报' });

  const open = await listJson('?status=open');
  assert.ok(open.some((r) => r.service_request_id === id));
  assert.ok(!open.some((r) => r.service_request_id === voided));
  const closed = await listJson('?status=closed');
  assert.deepEqual(
    closed.map((r) => [r.service_request_id, r.status, r.status_notes]),
    [[voided, 'closed', '已作废 / Voided']],
  );
  assert.deepEqual(
    (await listJson('?service_code=BJ0101,SJ0401')).map((r) => r.service_request_id),
    [id],
  );
  assert.deepEqual(
    (await listJson(`?service_request_id=${voided},${id}&status=open`))
      .map((r) => r.service_request_id)
      .sort(),
    [id, voided].sort(),
    'service_request_id overrides every other filter',
  );
  const both = await listJson(
    '?status=open,closed&start_date=2026-03-01T00:00:00Z&end_date=2026-03-03T00:00:00%2B08:00',
  );
  assert.deepEqual(
    both.map((r) => r.service_request_id),
    [voided, id],
    'newest first',
  );
  assert.deepEqual(await listJson('?start_date=2026-03-03T00:00:00Z'), []);

  const xmlList = parseXml((await get('/open311/v2/requests.xml?status=closed')).body) as {
    service_requests: { request: Array<{ service_request_id: string }> };
  };
  assert.deepEqual(
    xmlList.service_requests.request.map((r) => r.service_request_id),
    [voided],
  );
});

test('GET requests looks back 90 days by default; an older case needs a window of its own', async () => {
  const then = fixedClock('2025-11-01T08:00:00Z');
  const { id } = await makeCase(
    { db: t.store.db, keyring: t.store.keyring, clock: then },
    { category_code: 'SJ0102', region_code: COMMUNITY },
  );
  const old = await t.store.db
    .selectFrom('cases')
    .select('reference')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.ok(!(await listJson('')).some((r) => r.service_request_id === old.reference));
  const window = await listJson('?start_date=2025-10-30T00:00:00Z&end_date=2025-11-02T00:00:00Z');
  assert.deepEqual(
    window.map((r) => r.service_request_id),
    [old.reference],
  );
  assert.equal(window[0]!.description, '小区门口垃圾堆放多日', 'an urban-management event shows its text');
});

test('disputes and uncategorised cases show no text, address or point in the public feed', async () => {
  const id = await submit({
    service_code: 'MD0101',
    description: '楼上每晚装修到深夜',
    'attribute[time_of_day]': 'night',
  });
  const [request] = await listJson(`?service_request_id=${id}`);
  assert.equal(request!.description, null);
  assert.equal(request!.lat, null);
  assert.equal(request!.long, null);
  assert.equal(request!.service_code, 'MD0101');
  assert.equal(request!.status, 'open');
});

test('POST requests takes multipart/form-data as well', async () => {
  const boundary = 'open311boundary';
  const part = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload =
    part('api_key', KEY) +
    part('service_code', 'SJ0503') +
    part('lat', POINT.lat) +
    part('long', POINT.long) +
    part('attribute[blocking][]', 'fire_lane') +
    part('attribute[blocking][]', 'entrance') +
    part('attribute[landmark]', '12 号楼北门') +
    `--${boundary}--\r\n`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/open311/v2/requests.xml',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  assert.equal(res.statusCode, 200, res.body);
  const doc = parseXml(res.body) as {
    service_requests: { request: Array<{ service_request_id: string; service_notice: string }> };
  };
  const id = doc.service_requests.request[0]!.service_request_id;
  const submission = await t.store.db
    .selectFrom('open311_submissions as s')
    .innerJoin('cases as c', 'c.idempotency_key', 's.case_key')
    .select(['s.attributes', 'c.reference'])
    .where('c.reference', '=', id)
    .executeTakeFirstOrThrow();
  const answers =
    typeof submission.attributes === 'string' ? JSON.parse(submission.attributes) : submission.attributes;
  assert.deepEqual(answers, { blocking: ['fire_lane', 'entrance'], landmark: '12 号楼北门' });
});

test('an address with the key’s county locates a report without a point', async () => {
  const id = await submit({
    lat: '',
    long: '',
    service_code: 'SJ0102',
    address_string: '西湖区文三路 100 号',
  });
  const stored = await t.store.db
    .selectFrom('cases')
    .select(['address', 'region_code', 'lon'])
    .where('reference', '=', id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(stored, { address: '西湖区文三路 100 号', region_code: '330106000000', lon: null });
});
