import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
let A: string;
const clock = fixedClock('2026-03-01T08:00:00Z');

before(async () => {
  t = await makeTestApp(async (store) => {
    await loadCounty(store, '330106');
    [A] = (await listWithin(store.db, '330106', 'community')).map((c) => c.code) as [string];
    await importGrids(
      { store, clock },
      collection(gridFeature(A, 1, square(120.1, 30.2)), gridFeature(A, 2, square(120.11, 30.2))),
    );
  });
});
after(() => t.close());

test('a point inside a grid locates to that grid and its community down from the province', async () => {
  const res = await t.app.inject('/api/v1/locate?lon=120.105&lat=30.205');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(body.grid, { code: `${A}01`, name: '测试第1网格' });
  assert.equal(body.region.code, A);
  assert.equal(body.region.level, 'community');
  assert.deepEqual(
    body.region.path.map((p: { name: string }) => p.name),
    ['浙江省', '杭州市', '西湖区', '北山街道'],
  );
});

test('a point on the edge two grids share locates to the eastern one, every time', async () => {
  for (let i = 0; i < 3; i++) {
    const res = await t.app.inject('/api/v1/locate?lon=120.11&lat=30.205');
    assert.equal(res.json().grid.code, `${A}02`);
  }
});

test('a point outside every grid is a 404 geo.no_grid', async () => {
  const res = await t.app.inject('/api/v1/locate?lon=100&lat=30');
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'geo.no_grid');
});

test('a missing or out-of-range coordinate is a 400, never a 500', async () => {
  for (const query of ['lon=120.1', 'lon=abc&lat=30', 'lon=190&lat=30', 'lon=120&lat=-91']) {
    const res = await t.app.inject(`/api/v1/locate?${query}`);
    assert.equal(res.statusCode, 400, query);
    assert.equal(res.json().error.code, 'request.invalid');
  }
});

test('grids imported after start are found without a restart', async () => {
  await importGrids({ store: t.store, clock }, collection(gridFeature(A, 3, square(120.12, 30.2))));
  const res = await t.app.inject('/api/v1/locate?lon=120.125&lat=30.205');
  assert.equal(res.json().grid.code, `${A}03`);
});

test('a grid is served with its community and as GeoJSON', async () => {
  const one = await t.app.inject(`/api/v1/grids/${A}01`);
  assert.equal(one.statusCode, 200);
  assert.equal(one.json().community.code, A);
  const all = await t.app.inject('/api/v1/grids?within=330106');
  assert.equal(all.headers['content-type'], 'application/geo+json; charset=utf-8');
  assert.equal(all.json().features.length, 3);
  const missing = await t.app.inject(`/api/v1/grids/${A}99`);
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'grid.not_found');
});
