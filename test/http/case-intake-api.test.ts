import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { seedDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { buildApp } from '../../src/http/app.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
let A: string;
const clock = fixedClock('2026-03-02T09:00:00+08:00');
/** Degrees of latitude per metre. */
const M = 1 / 111_195;

before(async () => {
  t = await makeTestApp(async (store) => {
    await loadCounty(store, '330106');
    await seedBaseTaxonomy({ store, clock }, '33');
    await seedDemoOrganisation({ db: store.db, clock });
    await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
    [A] = (await listWithin(store.db, '330106', 'community')).map((c) => c.code) as [string];
    await importGrids(
      { store, clock },
      collection(gridFeature(A, 1, square(120.1, 30.2)), gridFeature(A, 2, square(120.11, 30.2))),
    );
  });
});
after(() => t.close());

async function token(username: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password: 'demo' },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().token;
}

const body = (overrides: Record<string, unknown> = {}) => ({
  channel: 'web',
  category: 'SJ0102',
  title: '垃圾堆放',
  description: '小区门口有暴露垃圾',
  location: { lon: 120.105, lat: 30.205 },
  ...overrides,
});

function post(payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/v1/cases', payload: payload as object, headers });
}

test('POST /api/v1/cases answers 201 with id, reference, status, version, grid and region', async () => {
  const res = await post(body({ reporter: { name: '张三', phone: '13800138000' } }));
  assert.equal(res.statusCode, 201, res.body);
  const c = res.json();
  assert.match(c.id, /^[0-9a-f-]{36}$/);
  // The test app's clock: 08:00 UTC on 1 March is 16:00 in China, still 1 March.
  assert.match(c.reference, /^330106-20260301-\d{5}$/);
  assert.deepEqual([c.status, c.version, c.created], ['reported', 1, true]);
  assert.deepEqual(c.grid, { code: `${A}01`, name: '测试第1网格' });
  assert.equal(c.region.code, A);
  assert.equal(c.region.path[2].name, '西湖区');
  assert.deepEqual(c.duplicates, []);
  // The answer to the reporter carries no personal data back.
  assert.ok(!res.body.includes('13800138000'));
});

test('a retry with the same idempotency key answers 200 with the first case, also in a race and by header', async () => {
  const first = await post(body({ idempotency_key: 'k-1' }));
  const retry = await post(body({ idempotency_key: 'k-1' }));
  assert.deepEqual([first.statusCode, retry.statusCode], [201, 200]);
  assert.equal(retry.json().id, first.json().id);
  assert.equal(retry.json().created, false);
  const raced = await Promise.all([
    post(body(), { 'idempotency-key': 'k-race' }),
    post(body(), { 'idempotency-key': 'k-race' }),
  ]);
  assert.deepEqual(raced.map((r) => r.statusCode).sort(), [200, 201]);
  assert.equal(raced[0]!.json().id, raced[1]!.json().id);
});

test('refusals are clear 4xx errors in Chinese and English', async () => {
  const cases: Array<[unknown, number, string]> = [
    [body({ location: undefined }), 422, 'case.location_required'],
    [body({ location: { lon: 100, lat: 30 } }), 404, 'geo.no_grid'],
    [body({ category: 'SJ01' }), 422, 'case.category_not_leaf'],
    [body({ category: 'ZZ9999' }), 404, 'category.not_found'],
    [body({ channel: 'fax' }), 400, 'request.invalid'],
    [body({ title: '' }), 422, 'case.invalid_report'],
    [body({ channel: 'hotline' }), 401, 'auth.required'],
  ];
  for (const [payload, status, code] of cases) {
    const res = await post(payload);
    assert.equal(res.statusCode, status, `${code}: ${res.body}`);
    assert.equal(res.json().error.code, code);
    assert.ok(res.json().error.message && res.json().error.message_en);
  }
});

test('an Authorization header, when sent, must be valid; staff must categorise', async () => {
  const stale = await post(body(), { authorization: 'Bearer nope' });
  assert.equal(stale.statusCode, 401);
  const centre = { authorization: `Bearer ${await token('county.center')}` };
  const hotline = await post(body({ channel: 'hotline' }), centre);
  assert.equal(hotline.statusCode, 201, hotline.body);
  const uncategorised = await post(body({ channel: 'hotline', category: null }), centre);
  assert.equal(uncategorised.statusCode, 422);
  assert.equal(uncategorised.json().error.code, 'case.category_required');
  const analyst = await post(body(), { authorization: `Bearer ${await token('admin')}` });
  assert.equal(analyst.statusCode, 403);
});

test('duplicates within 50 m come back with the report and from GET /api/v1/cases/:id/duplicates', async () => {
  const at = { lon: 120.115, lat: 30.205 };
  const original = (await post(body({ category: 'BJ0101', location: at }))).json();
  const near = await post(body({ category: 'BJ0101', location: { ...at, lat: at.lat + 20 * M } }));
  assert.equal(near.statusCode, 201);
  const [dup] = near.json().duplicates;
  assert.equal(dup.id, original.id);
  assert.equal(dup.reference, original.reference);
  assert.ok(Math.abs(dup.distance_m - 20) < 0.5);
  assert.equal(typeof dup.reported_at, 'string');

  const url = `/api/v1/cases/${near.json().id}/duplicates`;
  assert.equal((await t.app.inject(url)).statusCode, 401);
  const centre = { authorization: `Bearer ${await token('county.center')}` };
  const listed = await t.app.inject({ url, headers: centre });
  assert.equal(listed.statusCode, 200, listed.body);
  assert.deepEqual(
    listed.json().duplicates.map((d: { id: string }) => d.id),
    [original.id],
  );
  const missing = await t.app.inject({ url: '/api/v1/cases/nope/duplicates', headers: centre });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'case.not_found');
});

test('a report claims its uploaded photos; a photo another report claimed is refused and that report is not written', async () => {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3a7' } })
    .png()
    .toBuffer();
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    payload: png,
    headers: { 'content-type': 'image/png' },
  });
  assert.equal(up.statusCode, 201, up.body);
  const photo = up.json().id as string;
  const first = await post(body({ photos: [photo] }));
  assert.equal(first.statusCode, 201, first.body);
  const claimed = await t.store.db
    .selectFrom('attachments')
    .select('case_id')
    .where('id', '=', photo)
    .executeTakeFirstOrThrow();
  assert.equal(claimed.case_id, first.json().id);

  const count = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await count();
  const second = await post(body({ photos: [photo], title: '另一件事' }));
  assert.equal(
    second.statusCode,
    400 <= second.statusCode && second.statusCode < 500 ? second.statusCode : -1,
  );
  assert.equal(second.json().error.code, 'attachment.not_claimable');
  assert.equal(await count(), before);
});

test('the OpenAPI document lists intake', async () => {
  const doc = (await t.app.inject('/openapi.json')).json();
  assert.ok(doc.paths['/api/v1/cases'].post.responses['201']);
  assert.ok(doc.paths['/api/v1/cases/{id}/duplicates'].get);
});

test('personal data of a report never reaches the logs', async () => {
  const lines: string[] = [];
  const app = await buildApp(t.deps, { logLevel: 'debug', logStream: { write: (l) => void lines.push(l) } });
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      payload: body({
        reporter: { name: '李四', phone: '13900139000', email: 'li.si@example.cn' },
        location: { lon: 120.1077, lat: 30.2033, address: '文三路 77 号' },
      }),
    });
    assert.equal(res.statusCode, 201);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      payload: body({ reporter: { phone: '13900139000', email: 'not-an-email' } }),
    });
    assert.equal(bad.statusCode, 400);
    const text = lines.join('');
    assert.ok(lines.length >= 2);
    for (const secret of ['李四', '13900139000', 'li.si@example.cn', '120.1077', '文三路']) {
      assert.ok(!text.includes(secret), `log contains ${secret}`);
    }
  } finally {
    await app.close();
  }
});

test('a report sent with a staff session cookie but no CSRF token is anonymous, never the staff member’s', async () => {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session/cookie',
    payload: { username: 'community.handler', password: 'demo' },
  });
  assert.equal(login.statusCode, 200, login.body);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const handler = await t.store.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'community.handler')
    .executeTakeFirstOrThrow();

  const anonymous = await post(body({ title: '页面里的匿名报告' }), { cookie });
  assert.equal(anonymous.statusCode, 201, anonymous.body);
  const signed = await post(body({ title: '控制台里的报告' }), {
    cookie,
    'x-csrf-token': login.json().csrf_token,
  });
  assert.equal(signed.statusCode, 201, signed.body);
  // Who reported is the first event's actor: nobody for the page, the handler for the console.
  const events = await t.store.db
    .selectFrom('case_events')
    .select(['case_id', 'actor_user_id'])
    .where('version', '=', 1)
    .where('case_id', 'in', [anonymous.json().id, signed.json().id])
    .execute();
  const by = new Map(events.map((e) => [e.case_id, e.actor_user_id]));
  assert.equal(by.get(anonymous.json().id), null);
  assert.equal(by.get(signed.json().id), handler.id);
});
