import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RegionSource, SourceRegion } from '../../src/regions/china-division-source.ts';
import { importRegions } from '../../src/regions/import-regions.ts';
import { countySource } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
before(async () => {
  store = await makeTestStore();
});
after(() => store.close());

const snapshot = () => store.db.selectFrom('regions').selectAll().orderBy('code').orderBy('level').execute();

function listSource(rows: SourceRegion[]): RegionSource {
  return {
    describe: () => 'list',
    async *regions() {
      yield* rows;
    },
  };
}

test('importing 西湖区 loads its real townships and communities with 12-digit codes', async () => {
  const report = await importRegions(store, countySource('330106'));
  assert.deepEqual(report.read, { 1: 1, 2: 1, 3: 1, 4: 12, 5: 222 });
  assert.equal(report.inserted, 237);
  const xihu = await store.db
    .selectFrom('regions')
    .selectAll()
    .where('code', '=', '330106000000')
    .executeTakeFirst();
  assert.deepEqual(xihu, { code: '330106000000', level: 3, name: '西湖区', parent_code: '330100000000' });
});

test('importing the same tree twice changes nothing', async () => {
  const before = await snapshot();
  const report = await importRegions(store, countySource('330106'));
  assert.equal(report.inserted, 0);
  assert.equal(report.updated, 0);
  assert.equal(report.unchanged, 237);
  assert.deepEqual(await snapshot(), before);
});

test('a renamed region is updated in place and counted as updated', async () => {
  const rows: SourceRegion[] = [];
  for await (const r of countySource('330106').regions()) rows.push(r);
  const renamed = rows.map((r) => (r.code === '330106002000' ? { ...r, name: '北山街道（新）' } : r));
  const report = await importRegions(store, listSource(renamed));
  assert.deepEqual([report.inserted, report.updated, report.unchanged], [0, 1, 236]);
  await importRegions(store, listSource(rows));
});

test('a row that does not nest under its parent aborts the import and writes nothing', async () => {
  const before = await snapshot();
  const rows: SourceRegion[] = [
    { code: '340000000000', level: 1, name: '安徽省', parent_code: null },
    { code: '340100000000', level: 2, name: '合肥市', parent_code: '340000000000' },
    { code: '350100000000', level: 2, name: '福州市', parent_code: '340000000000' },
  ];
  await assert.rejects(importRegions(store, listSource(rows)), { code: 'source.unavailable' });
  assert.deepEqual(await snapshot(), before);
});

test('a province filter other than two digits is refused', async () => {
  await assert.rejects(importRegions(store, countySource('330106'), ['330']), {
    code: 'region.invalid_code',
  });
});
