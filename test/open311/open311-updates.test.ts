import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { act, bearer, KEY, parseXml, POINT, postForm, seedOpen311, URBAN_KEY, W3C_UTC } from './helpers.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
let t: TestApp;

before(async () => {
  t = await makeTestApp((store) => seedOpen311(store, clock), { clock });
});
after(() => t.close());

async function submit(code = 'SJ0102'): Promise<string> {
  const res = await postForm(t, '/open311/v2/requests.json', {
    api_key: KEY,
    service_code: code,
    ...POINT,
    description: '测试',
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json()[0].service_request_id;
}

async function stageOf(reference: string): Promise<{ stage: string; version: number }> {
  return t.store.db
    .selectFrom('cases')
    .select(['stage', 'version'])
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
}

function update(
  key: string,
  reference: string,
  updateId: string,
  status: string,
  extra: Record<string, string> = {},
) {
  return postForm(t, '/open311/v2/servicerequestupdates.json', {
    api_key: key,
    service_request_id: reference,
    update_id: updateId,
    status,
    updated_datetime: '2026-03-02T10:00:00+08:00',
    description: `后台更新 ${updateId}`,
    ...extra,
  });
}

test('a back office posting as the owner department moves the case through the workflow', async () => {
  const id = await submit();
  await act(t, 'county.center', id, { action: 'register' });
  await act(t, 'county.center', id, { action: 'dispatch' });
  const owner = await t.store.db
    .selectFrom('cases')
    .select('owner_department_id')
    .where('reference', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(owner.owner_department_id, 'dept-330106-urban', 'the demo list gives 城管 this category');

  const accepted = await update(URBAN_KEY, id, 'ext-1', 'IN_PROGRESS');
  assert.equal(accepted.statusCode, 200, accepted.body);
  const [answer] = accepted.json();
  assert.deepEqual(Object.keys(answer), ['update_id', 'account_id']);
  assert.equal((await stageOf(id)).stage, 'handling');

  const fixed = await update(URBAN_KEY, id, 'ext-2', 'fixed', {
    media_url: 'https://backoffice.example.com/after.jpg',
  });
  assert.equal(fixed.statusCode, 200, fixed.body);
  assert.equal((await stageOf(id)).stage, 'awaiting_verification');

  const before = await stageOf(id);
  const noted = await update(URBAN_KEY, id, 'ext-3', 'OPEN');
  assert.equal(noted.statusCode, 200, noted.body);
  const after = await stageOf(id);
  assert.equal(after.stage, 'awaiting_verification', 'a note moves no stage');
  assert.equal(after.version, before.version + 1, 'but it is an event of its own');
  const rows = await t.store.db
    .selectFrom('open311_updates')
    .select(['update_id', 'action', 'event_version'])
    .orderBy('update_id')
    .where('update_id', 'like', 'ext-%')
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.update_id, r.action]),
    [
      ['ext-1', 'accept'],
      ['ext-2', 'feedback'],
      ['ext-3', 'note'],
    ],
  );

  const again = await update(URBAN_KEY, id, 'ext-1', 'IN_PROGRESS');
  assert.equal(again.statusCode, 400, again.body);
  assert.ok(again.json()[0].description.includes('open311.update_exists'));
});

test('an update the account may not act on is kept as a note; a key without an account writes notes', async () => {
  const id = await submit();
  // county.center may register but not accept: IN_PROGRESS on a reported case is a note.
  const res = await update(KEY, id, 'centre-1', 'IN_PROGRESS');
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(await stageOf(id), { stage: 'reported', version: 2 });
  const scheduled = await update(KEY, id, 'centre-2', 'ACTION_SCHEDULED');
  assert.equal(scheduled.statusCode, 200, scheduled.body);
  assert.equal(
    (await stageOf(id)).stage,
    'registered',
    'ACTION_SCHEDULED from a dispatcher registers the case',
  );

  const issued = await t.app.inject({
    method: 'POST',
    url: '/api/v1/open311/keys',
    headers: await bearer(t, 'admin'),
    payload: { label: '外部系统', rights: ['updates'], rate_per_minute: 60, region: '330106' },
  });
  assert.equal(issued.statusCode, 201, issued.body);
  const cancelled = await update(issued.json().key, id, 'x-1', 'CANCELLED');
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  assert.equal((await stageOf(id)).stage, 'registered');
  const note = await t.store.db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.action', 'e.actor_username', 'e.reason'])
    .where('c.reference', '=', id)
    .orderBy('e.version', 'desc')
    .executeTakeFirstOrThrow();
  assert.equal(note.action, 'note');
  assert.equal(note.actor_username, 'open311:外部系统');
  assert.match(note.reason!, /CANCELLED/);
});

test('a posted update needs its fields, a known status, and a case of the key’s region', async () => {
  const id = await submit();
  const missing = await postForm(t, '/open311/v2/servicerequestupdates.json', {
    api_key: URBAN_KEY,
    service_request_id: id,
  });
  assert.equal(missing.statusCode, 400, missing.body);
  const badStatus = await update(URBAN_KEY, id, 'bad-1', 'DONE');
  assert.equal(badStatus.statusCode, 400, badStatus.body);
  const unknown = await update(URBAN_KEY, '330106-20990101-00001', 'bad-2', 'OPEN');
  assert.equal(unknown.statusCode, 404, unknown.body);
  const xml = await postForm(t, '/open311/v2/servicerequestupdates.xml', { api_key: 'wrong' });
  assert.equal(xml.statusCode, 403);
  parseXml(xml.body);
});

test('the update feed lists every event of the key’s region, by window or after an update id', async () => {
  const id = await submit();
  await act(t, 'county.center', id, { action: 'register' });
  await act(t, 'county.center', id, { action: 'void', reason: '不属于受理范围' });
  const res = await t.app.inject({ url: `/open311/v2/servicerequestupdates.json?api_key=${KEY}` });
  assert.equal(res.statusCode, 200, res.body);
  const mine = (res.json() as Array<Record<string, string>>).filter((u) => u.service_request_id === id);
  assert.deepEqual(
    mine.map((u) => [u.status, u.external_status_code]),
    [
      ['open', 'reported'],
      ['action_scheduled', 'registered'],
      ['no_further_action', 'voided'],
    ],
  );
  assert.deepEqual(Object.keys(mine[0]!), [
    'update_id',
    'service_request_id',
    'status',
    'updated_datetime',
    'description',
    'media_url',
    'external_status_code',
  ]);
  assert.match(mine[0]!.updated_datetime!, W3C_UTC);
  assert.equal(mine[2]!.description, '不予立案 / Not accepted: 不属于受理范围');

  const since = await t.app.inject({
    url: `/open311/v2/servicerequestupdates.json?api_key=${KEY}&since=${mine[1]!.update_id}`,
  });
  assert.deepEqual(
    (since.json() as Array<{ update_id: string }>).map((u) => u.update_id),
    [mine[2]!.update_id],
  );
  const empty = await t.app.inject({
    url: `/open311/v2/servicerequestupdates.json?api_key=${KEY}&start_date=2026-02-01T00:00:00Z&end_date=2026-02-02T00:00:00Z`,
  });
  assert.deepEqual(empty.json(), []);
  const xml = parseXml(
    (await t.app.inject({ url: `/open311/v2/servicerequestupdates.xml?api_key=${KEY}` })).body,
  ) as { service_requests_updates: { request_update: Array<{ update_id: string }> } };
  assert.ok(xml.service_requests_updates.request_update.length >= 3);
});

test('tokens: a key that answers with tokens gets one, and GET tokens resolves it', async () => {
  const issued = await t.app.inject({
    method: 'POST',
    url: '/api/v1/open311/keys',
    headers: await bearer(t, 'admin'),
    payload: {
      label: '批量客户端',
      rights: ['requests'],
      rate_per_minute: 60,
      region: '330106',
      answer_with_token: true,
    },
  });
  assert.equal(issued.statusCode, 201, issued.body);
  const res = await postForm(t, '/open311/v2/requests.json', {
    api_key: issued.json().key,
    service_code: 'SJ0102',
    ...POINT,
  });
  assert.equal(res.statusCode, 200, res.body);
  const [answer] = res.json();
  assert.deepEqual(Object.keys(answer), ['token', 'service_notice', 'account_id']);
  const found = await t.app.inject({ url: `/open311/v2/tokens/${answer.token}.json` });
  assert.equal(found.statusCode, 200, found.body);
  const [mapping] = found.json();
  assert.equal(mapping.token, answer.token);
  assert.match(mapping.service_request_id, /^330106-20260302-\d{5}$/);
  const xml = parseXml((await t.app.inject({ url: `/open311/v2/tokens/${answer.token}.xml` })).body) as {
    service_requests: { request: Array<{ service_request_id: string; token: string }> };
  };
  assert.deepEqual(xml.service_requests.request[0], mapping);
});

test('administrators issue, list, limit and revoke keys; others may not; keys are stored hashed', async () => {
  const admin = await bearer(t, 'admin');
  const issued = await t.app.inject({
    method: 'POST',
    url: '/api/v1/open311/keys',
    headers: admin,
    payload: { label: '随手拍', rights: ['requests'], rate_per_minute: 30 },
  });
  assert.equal(issued.statusCode, 201, issued.body);
  const { id, key, region } = issued.json();
  assert.match(key, /^o311_/);
  assert.equal(region, '330000000000', 'the administrator’s scope by default');
  const stored = await t.store.db
    .selectFrom('open311_api_keys')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.notEqual(stored.key_hash, key);

  const list = await t.app.inject({ url: '/api/v1/open311/keys', headers: admin });
  assert.equal(list.statusCode, 200, list.body);
  assert.ok(list.json().items.some((k: { id: string }) => k.id === id));
  assert.ok(!list.body.includes(key), 'a listed key never shows the key');

  const limited = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/open311/keys/${id}`,
    headers: admin,
    payload: { rate_per_minute: 5, rights: ['requests', 'updates'] },
  });
  assert.equal(limited.statusCode, 200, limited.body);
  assert.equal(limited.json().rate_per_minute, 5);
  assert.deepEqual(limited.json().rights, ['requests', 'updates']);

  const centre = await bearer(t, 'county.center');
  const refused = await t.app.inject({
    method: 'POST',
    url: '/api/v1/open311/keys',
    headers: centre,
    payload: { label: 'x', rights: ['requests'], rate_per_minute: 5 },
  });
  assert.equal(refused.statusCode, 403, refused.body);
  const audit = await t.store.db
    .selectFrom('audit_log')
    .select('action')
    .where('target_id', '=', id)
    .execute();
  assert.deepEqual(audit.map((a) => a.action).sort(), ['open311.key_change', 'open311.key_issue']);
});

test('a province centre sets a service definition; a bad one is refused whole; the county centre may not', async () => {
  const attributes = [
    {
      code: 'smell',
      order: 1,
      datatype: 'singlevaluelist',
      required: true,
      description: '是否有异味 / Does it smell',
      values: [
        { key: 'yes', name: '是 / Yes' },
        { key: 'no', name: '否 / No' },
      ],
    },
  ];
  const put = async (username: string, body: unknown) =>
    t.app.inject({
      method: 'PUT',
      url: '/api/v1/open311/services/SJ0102/definition',
      headers: await bearer(t, username),
      payload: body as object,
    });
  assert.equal((await put('county.center', { attributes })).statusCode, 403);
  const bad = await put('province.center', {
    attributes: [...attributes, { ...attributes[0], code: 'again' }],
  });
  assert.equal(bad.statusCode, 422, bad.body);
  assert.equal(bad.json().error.code, 'open311.definition_invalid');
  const ok = await put('province.center', { attributes });
  assert.equal(ok.statusCode, 200, ok.body);
  const services = (await t.app.inject({ url: '/open311/v2/services.json' })).json() as Array<{
    service_code: string;
    metadata: boolean;
  }>;
  assert.equal(services.find((s) => s.service_code === 'SJ0102')!.metadata, true);
  const refused = await postForm(t, '/open311/v2/requests.json', {
    api_key: KEY,
    service_code: 'SJ0102',
    ...POINT,
  });
  assert.equal(refused.statusCode, 400, 'the new question is required at once');
  assert.equal((await put('province.center', { attributes: [] })).statusCode, 200);
});
