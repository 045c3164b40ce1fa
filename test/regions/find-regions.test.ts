import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  countDescendants,
  getRegion,
  listChildren,
  listWithin,
  searchRegions,
} from '../../src/regions/find-regions.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
before(async () => {
  store = await makeTestStore();
  await loadCounty(store, '330106');
  // 东莞市 has no county level: the statistical tree repeats it as county 441900 under the same code.
  await loadCounty(store, '441900');
});
after(() => store.close());

test('a county found by its 6-digit code carries its path from the province down', async () => {
  const xihu = await getRegion(store.db, '330106');
  assert.equal(xihu.code, '330106000000');
  assert.equal(xihu.name, '西湖区');
  assert.equal(xihu.level, 'county');
  assert.deepEqual(
    xihu.path.map((p) => p.name),
    ['浙江省', '杭州市'],
  );
});

test('a community found by its 12-digit code has the whole chain above it', async () => {
  const [first] = await listWithin(store.db, '330106002', 'community');
  const community = await getRegion(store.db, first!.code);
  assert.deepEqual(
    community.path.map((p) => p.level),
    ['province', 'city', 'county', 'township'],
  );
  assert.equal(community.path[3]!.name, '北山街道');
});

test('a 12-digit code shared by a city and its filled-in county means the city; the 6-digit form the county', async () => {
  const city = await getRegion(store.db, '441900000000');
  assert.equal(city.level, 'city');
  const county = await getRegion(store.db, '441900');
  assert.equal(county.level, 'county');
  assert.deepEqual(
    county.path.map((p) => p.name),
    ['广东省', '东莞市'],
  );
  const towns = await listChildren(store.db, '441900');
  assert.ok(towns.length > 20);
  assert.ok(towns.every((t) => t.level === 'township'));
});

test('the children of 西湖区 are its 12 townships in code order', async () => {
  const children = await listChildren(store.db, '330106');
  assert.equal(children.length, 12);
  assert.equal(children[0]!.name, '北山街道');
  assert.deepEqual(
    children.map((c) => c.code),
    [...children.map((c) => c.code)].sort(),
  );
});

test('everything under a county is counted from one range of codes', async () => {
  assert.deepEqual(await countDescendants(store.db, '330106'), {
    province: 0,
    city: 0,
    county: 0,
    township: 12,
    community: 222,
  });
  const cityCounts = await countDescendants(store.db, '3301');
  assert.equal(cityCounts.county, 1);
});

test('search by Chinese name puts names that start with the text first and can stay inside a region', async () => {
  const found = await searchRegions(store.db, store.traits, { q: '西湖' });
  assert.equal(found[0]!.name, '西湖区');
  const inside = await searchRegions(store.db, store.traits, { q: '社区', within: '330106002', limit: 5 });
  assert.equal(inside.length, 5);
  assert.ok(inside.every((r) => r.code.startsWith('330106002') && r.path.length === 4));
});

test('an unknown region is region.not_found', async () => {
  await assert.rejects(getRegion(store.db, '330199'), { code: 'region.not_found' });
});
