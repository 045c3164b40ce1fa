import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { addCategory } from '../../src/taxonomy/add-category.ts';
import { exportTaxonomy } from '../../src/taxonomy/export-taxonomy.ts';
import { importTaxonomyCsv } from '../../src/taxonomy/import-taxonomy-csv.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

const ZJ = '330000000000';
let store: TestStore;
const clock = fixedClock('2026-03-01T08:00:00Z');

before(async () => {
  store = await makeTestStore();
  await loadCounty(store);
  await seedBaseTaxonomy({ store, clock }, ZJ);
  await addCategory({ store, clock }, { region: '330106', parent_code: 'SJ05', name: '共享单车乱停放' });
});
after(() => store.close());

test('a county’s export holds the province base and its own additions', async () => {
  const json = JSON.parse(await exportTaxonomy(store.db, '330106', 'json'));
  const mine = json.categories.filter((c: { region_code: string }) => c.region_code === '330106000000');
  assert.deepEqual(
    mine.map((c: { code: string }) => c.code),
    ['SJ05A0'],
  );
});

test('the province’s export, imported into a store without a taxonomy, exports the same (CSV and JSON)', async () => {
  const csv = await exportTaxonomy(store.db, ZJ, 'csv');
  const json = JSON.parse(await exportTaxonomy(store.db, ZJ, 'json'));
  assert.equal(json.categories.length, csv.trim().split('\r\n').length - 1);
  await store.db.deleteFrom('categories').execute();
  const report = await importTaxonomyCsv({ store, clock }, { region: ZJ, csv });
  assert.equal(report.format, 'coded');
  assert.equal(report.inserted, json.categories.length);
  assert.equal(await exportTaxonomy(store.db, ZJ, 'csv'), csv);
  assert.deepEqual(JSON.parse(await exportTaxonomy(store.db, ZJ, 'json')), json);
});
