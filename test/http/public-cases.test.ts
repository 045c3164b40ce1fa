import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { hashReporterKey } from '../../src/personal/reporter-key.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { seedXihu } from '../helpers/actors.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { makeCase } from '../helpers/cases.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
let t: TestApp;
let A: string;

before(async () => {
  t = await makeTestApp(
    async (store) => {
      await seedXihu(store, clock);
      await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
      [A] = (await listWithin(store.db, '330106', 'community')).map((c) => c.code) as [string];
      await importGrids({ store, clock }, collection(gridFeature(A, 1, square(120.1, 30.2))));
    },
    { clock },
  );
});
after(() => t.close());

const tokens = new Map<string, string>();
function at(iso: string) {
  clock.set(iso);
  tokens.clear(); // sessions follow the app's clock
}

async function as(username: string) {
  let token = tokens.get(username);
  if (!token) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password: 'demo' },
    });
    assert.equal(res.statusCode, 200, res.body);
    token = res.json().token as string;
    tokens.set(username, token);
  }
  return { authorization: `Bearer ${token}` };
}

async function act(username: string, id: string, payload: Record<string, unknown>) {
  const current = await t.app.inject({ url: `/api/v1/cases/${id}`, headers: await as('county.center') });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${id}/actions`,
    headers: await as(username),
    payload: { ...payload, expected_version: current.json().version },
  });
  assert.equal(res.statusCode, 200, res.body);
}

/** A resident's report through intake, not signed in; answers the intake body. */
async function report(overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    payload: {
      channel: 'web',
      category: 'SJ0102',
      title: '垃圾堆放',
      description: '小区门口有暴露垃圾',
      location: { lon: 120.105123, lat: 30.205987, address: '文三路 100 号 3 单元' },
      photos: ['https://photos.example.org/a.jpg', 'before.jpg'],
      reporter: { name: '张三丰', phone: '13800138000', email: 'zhang@example.com' },
      ...overrides,
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; reference: string; reporter_key: string };
}

async function publicView(reference: string) {
  const res = await t.app.inject({ url: `/api/v1/public/cases/${reference}` });
  assert.equal(res.statusCode, 200, res.body);
  return { body: res.json(), text: res.body };
}

async function closeCase(id: string) {
  await act('county.center', id, { action: 'register' });
  await act('county.center', id, { action: 'dispatch' });
  await act('dept.urban', id, { action: 'accept' });
  await act('dept.urban', id, { action: 'feedback', evidence: ['after.jpg'] });
  await act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] }); // co-handler
  await act('county.center', id, { action: 'verify_pass' });
  await act('county.center', id, { action: 'close' });
}

function verdict(reference: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/v1/public/cases/${reference}/verdict`, payload });
}

test('the public view of a new report names no one, rounds the point and hides the address', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report();
  const { body, text } = await publicView(c.reference);
  assert.equal(body.reference, c.reference);
  assert.equal(body.id, c.id);
  assert.deepEqual([body.status, body.status_label], ['reported', { zh: '已上报', en: 'Reported' }]);
  assert.equal(body.category.code, 'SJ0102');
  assert.ok(body.category.name.length > 0 && body.category.name_en.length > 0);
  assert.deepEqual([body.title, body.description], ['垃圾堆放', '小区门口有暴露垃圾']);
  assert.deepEqual(body.grid, { code: `${A}01`, name: '测试第1网格' });
  assert.equal(body.region.code, A);
  assert.deepEqual(body.location, { lon: 120.105, lat: 30.206 });
  assert.deepEqual(body.photos, ['https://photos.example.org/a.jpg']);
  assert.equal(body.reported_at, '2026-03-02T01:00:00.000Z');
  assert.equal(body.timeline.length, 1);
  assert.equal(body.timeline[0].action, 'report');
  assert.deepEqual(body.timeline[0].by, {
    role: 'resident',
    label: { zh: '居民', en: 'Resident' },
    department: null,
  });
  for (const secret of [
    '张三丰',
    '13800138000',
    'zhang@example.com',
    '文三路',
    c.reporter_key,
    'anonymous',
  ]) {
    assert.ok(!text.includes(secret), `public view leaks ${secret}`);
  }
});

test('as staff move the case, its public timeline shows each step with departments, never a person', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report();
  await act('county.center', c.id, { action: 'register' });
  await act('county.center', c.id, { action: 'dispatch' });
  at('2026-03-02T10:00:00+08:00');
  await act('dept.urban', c.id, { action: 'accept' });
  const { body, text } = await publicView(c.reference);
  assert.equal(body.status, 'handling');
  assert.deepEqual(
    body.timeline.map((e: { action: string }) => e.action),
    ['report', 'register', 'dispatch', 'accept'],
  );
  const [, register, dispatch, accept] = body.timeline;
  assert.deepEqual(register.by.label, { zh: '区县指挥中心', en: 'County command centre' });
  assert.deepEqual(
    [register.from, register.to, register.to_label.en],
    ['reported', 'registered', 'Registered'],
  );
  assert.equal(dispatch.departments.length, 1);
  assert.match(dispatch.departments[0], /城市管理局/);
  assert.equal(accept.by.role, 'department_handler');
  assert.match(accept.by.department, /城市管理局/);
  assert.ok(body.deadlines.handling_deadline > body.reported_at);
  assert.equal(body.deadlines.stage_deadline, body.deadlines.handling_deadline);
  for (const secret of ['county.center', 'dept.urban', 'user_id', '张三丰']) {
    assert.ok(!text.includes(secret), `public view leaks ${secret}`);
  }
});

test('a reason is public only where it explains the outcome, with contact details masked', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report();
  await act('county.center', c.id, { action: 'register' });
  await act('county.center', c.id, { action: 'supervise', reason: '内部督办：联系 13900001111' });
  await act('county.center', c.id, { action: 'park', reason: '等待管网改造，咨询 13912345678 或 a.b@x.cn' });
  const { body, text } = await publicView(c.reference);
  const reasons = Object.fromEntries(
    body.timeline.map((e: { action: string; reason: unknown }) => [e.action, e.reason]),
  );
  assert.equal(reasons.supervise, null);
  assert.equal(reasons.park, '等待管网改造，咨询 139****5678 或 a***@x.cn');
  assert.ok(!text.includes('13900001111') && !text.includes('13912345678'));
});

test('a voided case shows only its status; an unknown reference is 404', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report();
  await act('county.center', c.id, { action: 'void', reason: '不属于受理范围' });
  const { body } = await publicView(c.reference);
  assert.deepEqual(Object.keys(body).sort(), ['id', 'reference', 'status', 'status_label']);
  assert.equal(body.status, 'voided');
  const missing = await t.app.inject({ url: '/api/v1/public/cases/330106-20990101-00001' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'case.not_found');
});

test('the reporter says "not fixed" with their key: the case is rated and reopened through the workflow', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report();
  await closeCase(c.id);
  const wrong = await verdict(c.reference, { reporter_key: 'not-the-key', fixed: false, rating: 1 });
  assert.equal(wrong.statusCode, 403);
  assert.equal(wrong.json().error.code, 'case.reporter_key_invalid');
  assert.ok(wrong.json().error.message_en.length > 0);
  assert.equal((await publicView(c.reference)).body.status, 'closed', 'a refused verdict writes nothing');

  at('2026-03-03T09:00:00+08:00');
  const res = await verdict(c.reference, {
    reporter_key: c.reporter_key,
    fixed: false,
    rating: 2,
    comment: '垃圾又堆起来了',
  });
  assert.equal(res.statusCode, 200, res.body);
  const { reopened, case: view } = res.json();
  assert.equal(reopened, true);
  assert.equal(view.status, 'registered');
  const last = view.timeline.slice(-2);
  assert.deepEqual(
    last.map((e: { action: string; to: string }) => [e.action, e.to]),
    [
      ['rate', 'closed_unfixed'],
      ['reopen', 'registered'],
    ],
  );
  assert.equal(last[0].by.role, 'resident');
  assert.equal(last[1].reason, null, "the resident's comment is not public");
  // Staff see who acted and why.
  const staff = await t.app.inject({ url: `/api/v1/cases/${c.id}`, headers: await as('county.center') });
  const events = staff.json().timeline.slice(-2);
  assert.deepEqual(
    events.map((e: { actor: string; role: string; reason: string }) => [e.actor, e.role, e.reason]),
    [
      ['reporter', 'resident', '垃圾又堆起来了'],
      ['reporter', 'resident', '垃圾又堆起来了'],
    ],
  );
  assert.deepEqual(events[0].payload, { rating: 2, fixed: false });
});

test('"fixed" rates the case once; the key acts on its own case only', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report();
  const other = await report();
  await closeCase(c.id);
  await closeCase(other.id);
  const crossed = await verdict(other.reference, { reporter_key: c.reporter_key, fixed: true, rating: 5 });
  assert.equal(crossed.statusCode, 403);
  const res = await verdict(c.reference, { reporter_key: c.reporter_key, fixed: true, rating: 5 });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual([res.json().reopened, res.json().case.status], [false, 'closed']);
  assert.deepEqual(res.json().case.rating, { score: 5, fixed: true });
  const again = await verdict(c.reference, { reporter_key: c.reporter_key, fixed: false, rating: 1 });
  assert.equal(again.statusCode, 422);
  assert.equal(again.json().error.code, 'case.invalid_transition');
  const bad = await verdict(c.reference, { reporter_key: c.reporter_key, fixed: true, rating: 6 });
  assert.equal(bad.statusCode, 400);
});

test('"not fixed" after the reopen window leaves the case closed, not fixed', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report();
  await closeCase(c.id);
  at('2026-03-20T09:00:00+08:00');
  const res = await verdict(c.reference, { reporter_key: c.reporter_key, fixed: false, rating: 1 });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual([res.json().reopened, res.json().case.status], [false, 'closed_unfixed']);
});

test('a verdict before closure is refused by the workflow', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report();
  const res = await verdict(c.reference, { reporter_key: c.reporter_key, fixed: true, rating: 4 });
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().error.code, 'case.invalid_transition');
});

test('a case stored with a key hash accepts that key (the column is all intake leaves)', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock });
  await t.store.db
    .updateTable('cases')
    .set({ reporter_key_hash: hashReporterKey('k-test') })
    .where('id', '=', id)
    .execute();
  await closeCase(id);
  const row = await t.store.db
    .selectFrom('cases')
    .select('reference')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const res = await verdict(row.reference, { reporter_key: 'k-test', fixed: true, rating: 4 });
  assert.equal(res.statusCode, 200, res.body);
});

test('"is it one of these?": open cases of the category near the point, in the public shape', async () => {
  at('2026-03-02T09:00:00+08:00');
  const c = await report({ location: { lon: 120.1051, lat: 30.2051 } });
  const near = await t.app.inject({
    url: '/api/v1/public/duplicates?lon=120.1052&lat=30.2052&category=SJ0102',
  });
  assert.equal(near.statusCode, 200, near.body);
  const found = near.json().items.find((d: { reference: string }) => d.reference === c.reference);
  assert.ok(found, near.body);
  assert.deepEqual(Object.keys(found).sort(), [
    'distance_m',
    'id',
    'reference',
    'reported_at',
    'status',
    'status_label',
    'title',
  ]);
  assert.ok(found.distance_m < 50);
  const otherCategory = await t.app.inject({
    url: '/api/v1/public/duplicates?lon=120.1052&lat=30.2052&category=SJ0101',
  });
  assert.ok(!otherCategory.body.includes(c.reference));
  const bad = await t.app.inject({ url: '/api/v1/public/duplicates?lon=x&lat=30.2&category=SJ0102' });
  assert.equal(bad.statusCode, 400);
});

test('a photo named by its attachment id is shown by its URL', async () => {
  at('2026-03-02T09:00:00+08:00');
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
    .png()
    .toBuffer();
  const upload = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { 'content-type': 'image/png' },
    payload: png,
  });
  assert.equal(upload.statusCode, 201, upload.body);
  const { id, url } = upload.json();
  const c = await report({ photos: [id] });
  assert.deepEqual((await publicView(c.reference)).body.photos, [url]);
});
