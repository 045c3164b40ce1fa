import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { addCategory } from '../../src/taxonomy/add-category.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp(async (store) => {
    const deps = { store, clock: fixedClock('2026-03-01T08:00:00Z') };
    await loadCounty(store);
    await loadCounty(store, '330105');
    await seedBaseTaxonomy(deps, '330000000000');
    await addCategory(deps, { region: '330106', parent_code: 'SJ05', name: '共享单车乱停放' });
  });
});
after(() => t.close());

type Item = { code: string; name: string; parent_code: string | null; leaf: boolean; region_code: string };

test('GET /api/v1/categories?region= lists the taxonomy the region sees, with leaf flags', async () => {
  const res = await t.app.inject('/api/v1/categories?region=330106');
  assert.equal(res.statusCode, 200);
  const items: Item[] = res.json().items;
  const byCode = new Map(items.map((i) => [i.code, i]));
  assert.deepEqual(
    { ...byCode.get('SJ0101') },
    {
      code: 'SJ0101',
      name: '私搭乱建',
      name_en: 'Unauthorised construction',
      parent_code: 'SJ01',
      leaf: true,
      depth: 3,
      kind: 'event',
      region_code: '330000000000',
    },
  );
  assert.equal(byCode.get('SJ05')?.leaf, false);
  assert.equal(byCode.get('SJ05A0')?.region_code, '330106000000');
});

test('a sibling county does not see another county’s additions', async () => {
  const res = await t.app.inject('/api/v1/categories?region=330105');
  assert.equal(res.statusCode, 200);
  const codes = res.json().items.map((i: Item) => i.code);
  assert.ok(codes.includes('SJ05'));
  assert.ok(!codes.includes('SJ05A0'));
});

test('a missing or malformed region is a 400; an unknown one a 404', async () => {
  assert.equal((await t.app.inject('/api/v1/categories')).statusCode, 400);
  assert.equal((await t.app.inject('/api/v1/categories?region=3301')).statusCode, 200);
  assert.equal((await t.app.inject('/api/v1/categories?region=33010')).statusCode, 400);
  const res = await t.app.inject('/api/v1/categories?region=330199');
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'region.not_found');
});
