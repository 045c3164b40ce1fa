import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp(async (store) => {
    const clock = fixedClock('2026-03-01T07:00:00Z');
    await loadCounty(store);
    await loadCounty(store, '330105');
    await seedBaseTaxonomy({ store, clock }, '330000000000');
    await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
  });
});
after(() => t.close());

const tokens = new Map<string, string>();
async function as(username: string) {
  if (!tokens.has(username)) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password: 'demo' },
    });
    tokens.set(username, res.json().token);
  }
  return { authorization: `Bearer ${tokens.get(username)}` };
}

const audit = (action: string, target: string) =>
  t.store.db
    .selectFrom('audit_log')
    .select(['actor_username', 'action', 'target_type', 'target_id', 'details'])
    .where('action', '=', action)
    .where('target_id', '=', target)
    .execute();

const bikes = { region: '330106', parent_code: 'SJ05', name: '共享单车乱停放' };

test('adding a category without a token is 401 auth.required', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/categories', payload: bikes });
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'auth.required');
});

test('a department handler may not edit the taxonomy: 403 with the reason in Chinese and English', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/categories',
    payload: bikes,
    headers: await as('dept.urban'),
  });
  assert.equal(res.statusCode, 403);
  const { error } = res.json();
  assert.equal(error.code, 'access.role_forbidden');
  assert.match(error.message, /无权操作.*department_handler.*taxonomy\.edit/);
  assert.match(error.message_en, /may not perform taxonomy\.edit/);
});

test('a county centre may not add a category for another county: 403 access.out_of_scope', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/categories',
    payload: { ...bikes, region: '330105' },
    headers: await as('county.center'),
  });
  assert.equal(res.statusCode, 403);
  const { error } = res.json();
  assert.equal(error.code, 'access.out_of_scope');
  assert.equal(error.message, '无权操作：330105000000 不在您的管辖范围（330106000000）内');
  assert.match(error.message_en, /outside your scope/);
  const rows = await t.store.db
    .selectFrom('categories')
    .select('code')
    .where('region_code', '=', '330105000000')
    .execute();
  assert.equal(rows.length, 0);
});

test('a county centre adds, renames and removes in its own county, each write audited under its name', async () => {
  const headers = await as('county.center');
  const added = await t.app.inject({ method: 'POST', url: '/api/v1/categories', payload: bikes, headers });
  assert.equal(added.statusCode, 201);
  const { code, region_code } = added.json();
  assert.equal(region_code, '330106000000');
  const [row] = await audit('category.add', code);
  assert.equal(row?.actor_username, 'county.center');
  assert.equal(row?.target_type, 'category');

  const renamed = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/categories/${code}`,
    payload: { region: '330106', name: '共享单车乱停乱放' },
    headers,
  });
  assert.equal(renamed.statusCode, 200);
  assert.equal(renamed.json().name, '共享单车乱停乱放');
  assert.equal((await audit('category.rename', code))[0]?.actor_username, 'county.center');

  const removed = await t.app.inject({
    method: 'DELETE',
    url: `/api/v1/categories/${code}?region=330106`,
    headers,
  });
  assert.equal(removed.statusCode, 200);
  assert.deepEqual(removed.json(), { removed: code });
  assert.equal((await audit('category.remove', code))[0]?.actor_username, 'county.center');
});

test('a county centre may not remove the province’s category: 422 and nothing audited', async () => {
  const res = await t.app.inject({
    method: 'DELETE',
    url: '/api/v1/categories/SJ0101?region=330106',
    headers: await as('county.center'),
  });
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().error.code, 'category.inherited_readonly');
  assert.equal((await audit('category.remove', 'SJ0101')).length, 0);
});

test('an administrator imports a CSV anywhere in its scope; a rejected file writes nothing, not even an audit row', async () => {
  const headers = await as('admin');
  const csv = '一级,二级\n噪声,夜间施工\n';
  const ok = await t.app.inject({
    method: 'POST',
    url: '/api/v1/categories/import',
    payload: { region: '330105', csv, under: 'SJ05' },
    headers,
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().inserted, 2);
  const [row] = await audit('category.import', '330105000000');
  assert.equal(row?.actor_username, 'admin');

  const bad = await t.app.inject({
    method: 'POST',
    url: '/api/v1/categories/import',
    payload: { region: '330106', csv: '一级,二级\n,空\n', under: 'SJ05' },
    headers,
  });
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.json().error.code, 'category.import_rejected');
  assert.equal((await audit('category.import', '330106000000')).length, 0);
});

test('GET /api/v1/categories/export answers CSV or JSON with the matching content type, without a token', async () => {
  const csv = await t.app.inject('/api/v1/categories/export?region=330106');
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /^text\/csv/);
  assert.ok(csv.body.startsWith('code,parent_code,name,name_en,kind,depth,leaf,region_code,sort\r\n'));
  assert.match(csv.body, /\r\nSJ0101,SJ01,私搭乱建,/);

  const json = await t.app.inject('/api/v1/categories/export?region=330106&format=json');
  assert.equal(json.statusCode, 200);
  assert.match(json.headers['content-type'] as string, /^application\/json/);
  const body = json.json();
  assert.equal(body.region, '330106');
  assert.ok(body.categories.some((c: { code: string }) => c.code === 'SJ0101'));
});
