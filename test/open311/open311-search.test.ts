import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { makeCase } from '../helpers/cases.ts';
import { KEY, parseXml, POINT, postForm, SCHEMAS_MISSING, seedOpen311, validateJson } from './helpers.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
let t: TestApp;

/** The test grid's community 上保社区 (330106002051) and its township 北山街道 (330106002000). */
const AREA = '北山街道 上保社区';
/** ~2.06 km north-east of POINT, still inside the test grid. */
const FAR = { long: '120.119', lat: '30.219' };

interface Request311 {
  service_request_id: string;
  service_code: string;
  description: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
}

const cases = {} as Record<'near' | 'far' | 'given' | 'dispute' | 'township' | 'unknown', string>;

const get = (url: string) => t.app.inject({ url });

async function submit(fields: Record<string, string | string[]>): Promise<string> {
  const res = await postForm(t, '/open311/v2/requests.json', { api_key: KEY, ...POINT, ...fields });
  assert.equal(res.statusCode, 200, res.body);
  const [answer] = res.json() as Array<{ service_request_id: string }>;
  return answer!.service_request_id;
}

async function referenceOf(id: string): Promise<string> {
  const row = await t.store.db
    .selectFrom('cases')
    .select('reference')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.reference;
}

async function listJson(query: string): Promise<Request311[]> {
  const res = await get(`/open311/v2/requests.json${query}`);
  assert.equal(res.statusCode, 200, res.body);
  validateJson('requests', res.json());
  return res.json();
}

async function listXml(query: string): Promise<Array<Record<string, string>>> {
  const res = await get(`/open311/v2/requests.xml${query}`);
  assert.equal(res.statusCode, 200, res.body);
  const doc = parseXml(res.body) as { service_requests: '' | { request?: Array<Record<string, string>> } };
  return doc.service_requests === '' ? [] : (doc.service_requests.request ?? []);
}

const ids = (list: Array<{ service_request_id?: string }>) => list.map((r) => r.service_request_id);

/** A 400 in the spec's error format, JSON and XML, naming our code and the parameter. */
async function refused(query: string, parameter: string): Promise<void> {
  const res = await get(`/open311/v2/requests.json${query}`);
  assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
  const [error] = res.json() as Array<{ code: number; description: string }>;
  assert.equal(error!.code, 400);
  assert.ok(error!.description.includes('open311.parameter_invalid'), error!.description);
  assert.ok(error!.description.includes(parameter), error!.description);
  const xml = await get(`/open311/v2/requests.xml${query}`);
  assert.equal(xml.statusCode, 400);
  const doc = parseXml(xml.body) as { errors: { error: Array<{ code: string }> } };
  assert.equal(doc.errors.error[0]!.code, '400');
}

before(async () => {
  t = await makeTestApp((store) => seedOpen311(store, clock), { clock });
  if (SCHEMAS_MISSING) console.log(`# ${SCHEMAS_MISSING}`);
  cases.near = await submit({ service_code: 'SJ0102', description: '路口垃圾' });
  cases.far = await submit({ service_code: 'SJ0102', description: '远处垃圾', ...FAR });
  cases.given = await submit({
    service_code: 'SJ0102',
    description: '门口垃圾',
    address_string: '北山路 1 号',
  });
  cases.dispute = await submit({
    service_code: 'MD0101',
    description: '楼上每晚装修到深夜',
    address_string: '文三路 100 号 3 单元 501',
    'attribute[time_of_day]': 'night',
  });
  const deps = { db: t.store.db, keyring: t.store.keyring, clock };
  cases.township = await referenceOf(
    (await makeCase(deps, { category_code: null, region_code: '330106002000' })).id,
  );
  cases.unknown = await referenceOf((await makeCase(deps, { region_code: '330106999999' })).id);
});
after(() => t.close());

test('every request has an address: the one given where details are public, else township and community', async () => {
  const expected: Record<string, string> = {
    [cases.near]: AREA,
    [cases.far]: AREA,
    [cases.given]: '北山路 1 号',
    [cases.dispute]: AREA,
    [cases.township]: '北山街道',
    [cases.unknown]: '330106999999',
  };
  const json = await listJson('');
  assert.deepEqual(ids(json).sort(), Object.keys(expected).sort());
  for (const r of json) assert.equal(r.address, expected[r.service_request_id], r.service_request_id);

  const dispute = json.find((r) => r.service_request_id === cases.dispute)!;
  assert.deepEqual([dispute.description, dispute.lat, dispute.long], [null, null, null]);
  const township = json.find((r) => r.service_request_id === cases.township)!;
  assert.equal(township.service_code, '', 'not yet categorised');
  assert.equal(township.lat, null);

  const xml = await listXml('');
  assert.equal(xml.length, json.length);
  for (const r of xml) assert.equal(r.address, expected[r.service_request_id!], r.service_request_id);
  const xmlDispute = xml.find((r) => r.service_request_id === cases.dispute)!;
  assert.equal(xmlDispute.description, '');
  assert.equal(xmlDispute.lat, '');

  for (const id of [cases.dispute, cases.given]) {
    const one = await get(`/open311/v2/requests/${id}.json`);
    assert.equal(one.statusCode, 200, one.body);
    validateJson('requests', one.json());
    assert.equal((one.json() as Request311[])[0]!.address, expected[id]);
    assert.ok(!one.body.includes('文三路'), 'a dispute’s address is never shown');
    const doc = parseXml((await get(`/open311/v2/requests/${id}.xml`)).body) as {
      service_requests: { request: Array<Record<string, string>> };
    };
    assert.equal(doc.service_requests.request[0]!.address, expected[id]);
  }
});

test('nearby search finds public cases within the radius only, measured exactly', async () => {
  const at = `?lat=${POINT.lat}&long=${POINT.long}`;
  assert.deepEqual(
    ids(await listJson(at)).sort(),
    [cases.near, cases.given].sort(),
    '500 m by default: the dispute at the same point is never found by its position',
  );
  assert.deepEqual(ids(await listXml(at)).sort(), [cases.near, cases.given].sort());
  assert.deepEqual(
    ids(await listJson(`${at}&radius=2000`)).sort(),
    [cases.near, cases.given].sort(),
    'inside the bounding box but 2.06 km away: outside the circle',
  );
  assert.deepEqual(
    ids(await listJson(`${at}&radius=2100`)).sort(),
    [cases.near, cases.far, cases.given].sort(),
  );
  assert.deepEqual(
    ids(await listJson(`?lat=${FAR.lat}&long=${FAR.long}&radius=1`)),
    [cases.far],
    'a radius of 1 m finds the point itself',
  );
  assert.deepEqual(ids(await listJson(`${at}&radius=10000&service_code=MD0101`)), []);
  assert.deepEqual(
    ids(await listJson(`${at}&radius=1&service_request_id=${cases.dispute}`)),
    [cases.dispute],
    'service_request_id overrides nearby search',
  );
  assert.equal((await listJson(`${at}&radius=10000`)).length, 3);
  assert.equal((await listJson('?lat=&long=&radius=')).length, 6, 'empty parameters are none');
});

test('nearby parameters out of bounds are 400 in the spec’s format', async () => {
  const at = `?lat=${POINT.lat}&long=${POINT.long}`;
  await refused(`${at}&radius=0`, 'radius');
  await refused(`${at}&radius=10001`, 'radius');
  await refused(`${at}&radius=-5`, 'radius');
  await refused(`${at}&radius=near`, 'radius');
  await refused(`?lat=${POINT.lat}`, 'long');
  await refused(`?long=${POINT.long}`, 'lat');
  await refused('?radius=500', 'radius');
  await refused(`?lat=95&long=${POINT.long}`, 'lat');
  await refused(`?lat=${POINT.lat}&long=${POINT.long}&lat=30.3`, 'lat');
});

test('paging: pages of page_size in the usual order, a page past the end is empty', async () => {
  const all = ids(await listJson(''));
  assert.equal(all.length, 6);
  const first = await listJson('?page_size=1');
  const second = await listJson('?page_size=1&page=2');
  assert.deepEqual(ids(first), [all[0]]);
  assert.deepEqual(ids(second), [all[1]]);
  assert.notDeepEqual(ids(first), ids(second));
  assert.deepEqual(ids(await listXml('?page_size=1&page=2')), [all[1]]);
  assert.deepEqual(ids(await listJson('?page_size=4&page=2')), all.slice(4));
  assert.deepEqual(await listJson('?page_size=1&page=7'), []);
  assert.deepEqual(await listXml('?page=2'), []);
  assert.deepEqual(ids(await listJson('?page=1&page_size=1000')), all);

  const near = ids(await listJson(`?lat=${POINT.lat}&long=${POINT.long}&radius=2100`));
  assert.deepEqual(
    ids(await listJson(`?lat=${POINT.lat}&long=${POINT.long}&radius=2100&page_size=2&page=2`)),
    near.slice(2),
    'paging counts only the requests found',
  );
  assert.deepEqual(
    ids(await listJson(`?service_request_id=${all[0]},${all[1]}&page_size=1&page=5`)).sort(),
    [all[0], all[1]].sort(),
    'service_request_id overrides paging',
  );

  await refused('?page=0', 'page');
  await refused('?page=1.5', 'page');
  await refused('?page_size=0', 'page_size');
  await refused('?page_size=1001', 'page_size');
  await refused('?page_size=ten', 'page_size');
});

test('a service definition’s datatype_description is never empty, in JSON and XML', async () => {
  // A blank one stored by hand counts as none, like null.
  await t.store.db
    .updateTable('open311_attributes')
    .set({ datatype_description: '  ' })
    .where('category_code', '=', 'SJ0503')
    .where('code', '=', 'landmark')
    .execute();
  const expected: Record<string, Record<string, string>> = {
    BJ0101: {
      cover_state: '从列表中选一项 / Choose one of the values',
      at_risk: '从列表中选一项或多项 / Choose one or more of the values',
      safety_notice: '文字，可多行 / Text, several lines allowed',
    },
    SJ0401: {
      area_m2: '数字，可含小数 / A number, decimals allowed',
      first_seen: '日期时间含时区，如 2026-03-02T09:30+08:00 / Date and time with zone',
    },
    SJ0503: { landmark: '文字，一行 / Text, one line' },
  };
  for (const [code, attributes] of Object.entries(expected)) {
    const res = await get(`/open311/v2/services/${code}.json`);
    assert.equal(res.statusCode, 200, res.body);
    const definition = res.json() as {
      attributes: Array<{ code: string; datatype_description: string | null }>;
    };
    validateJson('service-definition', definition);
    for (const a of definition.attributes) {
      assert.ok(typeof a.datatype_description === 'string' && a.datatype_description.trim() !== '', a.code);
    }
    const xml = parseXml((await get(`/open311/v2/services/${code}.xml`)).body) as {
      service_definition: {
        attributes: { attribute: Array<{ code: string; datatype_description: string }> };
      };
    };
    const inXml = new Map(
      xml.service_definition.attributes.attribute.map((a) => [a.code, a.datatype_description]),
    );
    assert.equal(inXml.size, definition.attributes.length);
    for (const [attribute, text] of Object.entries(attributes)) {
      assert.equal(definition.attributes.find((a) => a.code === attribute)!.datatype_description, text);
      assert.equal(inXml.get(attribute), text, `${code} ${attribute} in XML`);
    }
    for (const [attribute, text] of inXml) assert.ok(text.trim() !== '', `${code} ${attribute} in XML`);
  }
  const { n } = await t.store.db
    .selectFrom('open311_attributes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('datatype_description', 'is', null)
    .executeTakeFirstOrThrow();
  assert.ok(Number(n) > 0, 'the defaults are filled in the answer, not stored');
});
