import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { seedDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { seedDemoResponsibility } from '../../src/demo/demo-responsibility.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
const clock = fixedClock('2026-03-02T09:00:00+08:00');

before(async () => {
  t = await makeTestApp(async (store) => {
    await loadCounty(store, '330106');
    await loadCounty(store, '330105');
    await seedBaseTaxonomy({ store, clock }, '33');
    await seedDemoOrganisation({ db: store.db, clock });
    await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
    await seedDemoResponsibility({ store, clock, actor: { user_id: null, username: 'system' } });
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

test('GET /api/v1/responsibility/resolve names the lead, co-handlers, legal basis, limits and list version', async () => {
  const res = await t.app.inject('/api/v1/responsibility/resolve?category=SJ0102&region=330106');
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.lead.department.id, 'dept-330106-urban');
  assert.match(body.legal_basis.law, /城市市容和环境卫生管理条例/);
  assert.deepEqual(body.limits.dispatch, { amount: 1, unit: 'work_hours' });
  assert.equal(body.list.version, 1);
  assert.equal(body.list.region_code, '330000000000');
});

test('the coverage report of 西湖区 has no gaps, while 拱墅区 (no departments loaded) shows every one', async () => {
  const xihu = (await t.app.inject('/api/v1/responsibility/coverage?region=330106')).json();
  assert.deepEqual([xihu.gaps.length, xihu.overlaps.length], [0, 0]);
  const gongshu = (await t.app.inject('/api/v1/responsibility/coverage?region=330105')).json();
  assert.ok(
    gongshu.gaps.length > 100 && gongshu.gaps.every((g: { reason: string }) => g.reason === 'no_unit'),
  );
});

test('exports are served as CSV or JSON', async () => {
  const csv = await t.app.inject('/api/v1/responsibility/export?region=330106&format=csv');
  assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(csv.body, /^record,id,category_code/);
  const json = await t.app.inject('/api/v1/responsibility/export?region=330106&format=json');
  assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  assert.ok(JSON.parse(json.body).township_duties.length > 100);
});

test('editing a list needs a session (401) and the right role in scope (403 with the reason)', async () => {
  const payload = { region: '330106', format: 'json', text: '{"entries":[],"township_duties":[]}' };
  const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/responsibility/import', payload });
  assert.equal(anonymous.statusCode, 401);
  const urban = await t.app.inject({
    method: 'POST',
    url: '/api/v1/responsibility/import',
    payload,
    headers: { authorization: `Bearer ${await token('dept.urban')}` },
  });
  assert.equal(urban.statusCode, 403);
  assert.match(urban.json().error.code, /^access\./);
  assert.ok(urban.json().error.message.length > 0 && urban.json().error.message_en.length > 0);
  const otherCounty = await t.app.inject({
    method: 'POST',
    url: '/api/v1/responsibility/lists',
    payload: { region: '330105' },
    headers: { authorization: `Bearer ${await token('county.center')}` },
  });
  assert.equal(otherCounty.statusCode, 403);
  assert.equal(otherCounty.json().error.code, 'access.out_of_scope');
});

test('the county centre drafts, edits and publishes version 2 of its list; version 1 stays readable', async () => {
  const auth = { authorization: `Bearer ${await token('county.center')}` };
  const draft = await t.app.inject({
    method: 'POST',
    url: '/api/v1/responsibility/lists',
    payload: { region: '330106' },
    headers: auth,
  });
  assert.equal(draft.statusCode, 201, draft.body);
  const id = draft.json().id;
  const current = (await t.app.inject(`/api/v1/responsibility/lists/${id}`)).json();
  const entries = current.entries.filter((e: { id: string }) => e.id !== 'xh-street');
  const saved = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/responsibility/lists/${id}/content`,
    payload: { entries, township_duties: current.township_duties },
    headers: auth,
  });
  assert.equal(saved.statusCode, 200, saved.body);
  const published = await t.app.inject({
    method: 'POST',
    url: `/api/v1/responsibility/lists/${id}/publish`,
    headers: auth,
  });
  assert.equal(published.statusCode, 200, published.body);
  assert.equal(published.json().version, 2);
  const versions = (await t.app.inject('/api/v1/responsibility/lists?region=330106')).json().items;
  assert.deepEqual(
    versions.map((v: { version: number; status: string }) => [v.version, v.status]),
    [
      [2, 'published'],
      [1, 'superseded'],
    ],
  );
  const again = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/responsibility/lists/${id}/content`,
    payload: { entries: [], township_duties: [] },
    headers: auth,
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().error.code, 'responsibility.not_draft');
});
