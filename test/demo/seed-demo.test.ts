import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { GridIndex } from '../../src/core/geo/grid-index.ts';
import { DEMO_BOX } from '../../src/demo/demo-grids.ts';
import { isEmptyDatabase, seedDemo } from '../../src/demo/seed-demo.ts';
import { exportGrids } from '../../src/grids/export-grids.ts';
import { countDescendants, listWithin } from '../../src/regions/find-regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
before(async () => {
  store = await makeTestStore();
  assert.equal(await isEmptyDatabase(store), true);
  await seedDemo({ store, clock: fixedClock('2026-01-01T00:00:00Z') });
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
