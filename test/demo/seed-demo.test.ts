import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { GridIndex } from '../../src/core/geo/grid-index.ts';
import { DEMO_BOX } from '../../src/demo/demo-grids.ts';
import { isEmptyDatabase, seedDemo } from '../../src/demo/seed-demo.ts';
import { exportGrids } from '../../src/grids/export-grids.ts';
import { countDescendants, listWithin } from '../../src/regions/find-regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { coverageReport } from '../../src/responsibility/coverage-report.ts';
import { resolveResponsibility } from '../../src/responsibility/resolve-responsibility.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { listCategories } from '../../src/taxonomy/list-categories.ts';
import { logIn } from '../../src/accounts/log-in.ts';

let store: TestStore;
before(async () => {
  store = await makeTestStore();
  assert.equal(await isEmptyDatabase(store), true);
  await seedDemo({ store, clock: fixedClock('2026-01-01T00:00:00Z') }, { password: 'demo', cases: 300 });
});
after(() => store.close());

test('the demo province is the real tree of 浙江省', async () => {
  assert.equal(await isEmptyDatabase(store), false);
  const counts = await countDescendants(store.db, '33');
  assert.equal(counts.city, 11);
  assert.equal(counts.county, 90);
  assert.ok(counts.township > 1300 && counts.community > 20000, JSON.stringify(counts));
});

test('every point of the demo box, edges and corners included, locates to a grid of a real 西湖区 community', async () => {
  const { features } = await exportGrids(store.db);
  const communities = new Set((await listWithin(store.db, '330106', 'community')).map((c) => c.code));
  assert.ok(features.length >= communities.size);
  assert.ok(features.every((f) => communities.has(f.properties.community_code) && f.properties.synthetic));
  const index = GridIndex.build(features.map((f) => ({ code: f.properties.code, geometry: f.geometry })));
  const lons = [DEMO_BOX.minLon, DEMO_BOX.maxLon];
  const lats = [DEMO_BOX.minLat, DEMO_BOX.maxLat];
  const points: Array<[number, number]> = [];
  for (let i = 0; i <= 150; i++) {
    const lon = DEMO_BOX.minLon + (i / 150) * (DEMO_BOX.maxLon - DEMO_BOX.minLon);
    const lat = DEMO_BOX.minLat + (i / 150) * (DEMO_BOX.maxLat - DEMO_BOX.minLat);
    points.push([lon, lats[0]!], [lon, lats[1]!], [lons[0]!, lat], [lons[1]!, lat]);
  }
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < 20000; i++) {
    points.push([
      DEMO_BOX.minLon + random() * (DEMO_BOX.maxLon - DEMO_BOX.minLon),
      DEMO_BOX.minLat + random() * (DEMO_BOX.maxLat - DEMO_BOX.minLat),
    ]);
  }
  for (const [lon, lat] of points) {
    const code = index.locate(lon, lat);
    assert.ok(code?.startsWith('330106'), `(${lon}, ${lat}) → ${code}`);
  }
});

test('each community has its grids numbered from 01 without gaps', async () => {
  const { features } = await exportGrids(store.db, { within: '330106' });
  const byCommunity = new Map<string, string[]>();
  for (const f of features) {
    const list = byCommunity.get(f.properties.community_code) ?? [];
    list.push(f.properties.code.slice(12));
    byCommunity.set(f.properties.community_code, list);
  }
  for (const seqs of byCommunity.values()) {
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => String(i + 1).padStart(2, '0')),
    );
  }
});

test('every category of the seeded taxonomy has an owner in 西湖区, named with its legal basis and list version', async () => {
  const rules = new RulesCache(store.db, 0);
  const categories = await listCategories(store.db, '330106');
  assert.ok(categories.length > 100);
  for (const category of categories) {
    for (const region of ['330106', '330106002051']) {
      const answer = await resolveResponsibility(
        { db: store.db, rules },
        { category: category.code, region },
      );
      assert.ok(answer.lead.department, `${category.code} ${category.name} in ${region}: no unit`);
      assert.ok(
        answer.legal_basis.law.startsWith('《') || answer.legal_basis.law.includes('〔'),
        answer.legal_basis.law,
      );
      assert.equal(answer.list.version, 1);
    }
  }
  const report = await coverageReport({ db: store.db, rules }, { region: '330106' });
  assert.deepEqual([report.gaps, report.overlaps], [[], []]);
});

test('a township handles its basic duties and never leads its returned ones', async () => {
  const rules = new RulesCache(store.db, 0);
  const categories = await listCategories(store.db, '330106');
  const byName = (name: string) => categories.find((c) => c.name === name)!.code;
  const neighbours = await resolveResponsibility(
    { db: store.db, rules },
    { category: byName('邻里纠纷'), region: '330106002051' },
  );
  assert.equal(neighbours.lead.type, 'township_office');
  assert.equal(neighbours.township_duty, 'basic');
  const fraud = await resolveResponsibility(
    { db: store.db, rules },
    { category: byName('诈骗线索'), region: '330106002051' },
  );
  assert.equal(fraud.lead.type, 'public_security');
  assert.equal(fraud.township_duty, 'returned');
});

test('the demo accounts of the contract can log in with the demo password', async () => {
  const clock = fixedClock('2026-01-01T00:00:00Z');
  for (const username of [
    'admin',
    'province.center',
    'county.center',
    'township.handler',
    'community.handler',
    'grid.worker',
    'dept.urban',
    'dept.market',
    'resident',
  ]) {
    const session = await logIn({ db: store.db, clock }, { username, password: 'demo' });
    assert.ok(session.token.length > 20, username);
  }
});
