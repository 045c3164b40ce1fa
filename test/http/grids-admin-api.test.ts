import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
const SHANGBAO = '330106002051';

before(async () => {
  t = await makeTestApp(async (store) => {
    await loadCounty(store, '330106');
    await loadCounty(store, '330105');
    await seedDemoAccounts(
      { db: store.db, clock: fixedClock('2026-03-02T09:00:00+08:00') },
      { password: 'demo' },
    );
  });
});
after(() => t.close());

async function auth(username: string): Promise<Record<string, string>> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password: 'demo' },
  });
  assert.equal(res.statusCode, 200, res.body);
  return { authorization: `Bearer ${res.json().token}` };
}

const importing = async (payload: unknown, headers: Record<string, string> = {}, query = '') =>
  t.app.inject({ method: 'POST', url: `/api/v1/grids/import${query}`, payload: payload as object, headers });

test('POST /api/v1/grids/import needs a session (401) and grid.edit over every community of the file (403)', async () => {
  const file = collection(gridFeature(SHANGBAO, 1, square(120.13, 30.27)));
  assert.equal((await importing(file)).statusCode, 401);
  const centre = await importing(file, await auth('county.center'));
  assert.equal(centre.statusCode, 403);
  assert.equal(centre.json().error.code, 'access.role_forbidden');
});

test('a file with a bad feature is refused whole, each problem with its index; then the good file is imported', async () => {
  const admin = await auth('admin');
  const good = gridFeature(SHANGBAO, 1, square(120.13, 30.27));
  const bad = gridFeature(SHANGBAO, 2, square(120.2, 30.27), { name: '' });
  const refused = await importing(collection(good, bad), admin);
  assert.equal(refused.statusCode, 422, refused.body);
  assert.equal(refused.json().error.code, 'grid.import_rejected');
  assert.deepEqual(
    refused.json().error.details.problems.map((p: { index: number; reason: string }) => [p.index, p.reason]),
    [[1, 'missing_name']],
  );
  assert.equal((await t.app.inject(`/api/v1/grids?within=${SHANGBAO}`)).json().features.length, 0);

  const done = await importing(collection(good), admin);
  assert.equal(done.statusCode, 200, done.body);
  assert.deepEqual([done.json().inserted, done.json().replaced], [1, 0]);
  const again = await importing(collection(good), admin, '?replace=true');
  assert.deepEqual([again.json().inserted, again.json().replaced], [0, 1]);
  const located = await t.app.inject('/api/v1/locate?lon=120.135&lat=30.275');
  assert.equal(located.json().grid.code, `${SHANGBAO}01`);
});

test('an administrator puts a grid worker on a grid and ends the assignment; a centre may not', async () => {
  const grid = `${SHANGBAO}01`;
  const url = `/api/v1/grids/${grid}/workers`;
  const payload = { worker_ref: 'grid.worker', worker_name: '上保社区网格员', duty: 'full_time' };
  const centre = await t.app.inject({ method: 'POST', url, payload, headers: await auth('county.center') });
  assert.equal(centre.statusCode, 403);
  const admin = await auth('admin');
  const put = await t.app.inject({ method: 'POST', url, payload, headers: admin });
  assert.equal(put.statusCode, 201, put.body);
  assert.equal(put.json().worker_name, '上保社区网格员');
  const twice = await t.app.inject({ method: 'POST', url, payload, headers: admin });
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json().error.code, 'grid.worker_already_assigned');
  assert.deepEqual(
    (await t.app.inject(`/api/v1/grids/${grid}`))
      .json()
      .workers.map((w: { worker_ref: string }) => w.worker_ref),
    ['grid.worker'],
  );
  const ended = await t.app.inject({ method: 'DELETE', url: `${url}/grid.worker`, headers: admin });
  assert.equal(ended.statusCode, 200, ended.body);
  assert.deepEqual((await t.app.inject(`/api/v1/grids/${grid}`)).json().workers, []);
});
