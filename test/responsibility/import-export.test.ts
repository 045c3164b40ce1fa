import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { DomainError } from '../../src/core/errors.ts';
import { seedDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { seedDemoResponsibility } from '../../src/demo/demo-responsibility.ts';
import { exportList } from '../../src/responsibility/export-list.ts';
import { importList } from '../../src/responsibility/import-list.ts';
import { listListHeaders, readList } from '../../src/responsibility/list-rows.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
const clock = fixedClock('2026-03-02T09:00:00+08:00');
const deps = () => ({ store, clock, actor: { user_id: null, username: 'county.center' } });
const XIHU = '330106000000';

before(async () => {
  store = await makeTestStore();
  await loadCounty(store, '330106');
  await seedBaseTaxonomy({ store, clock }, '33');
  await seedDemoOrganisation({ db: store.db, clock });
  await seedDemoResponsibility({ store, clock, actor: { user_id: null, username: 'system' } });
});
after(() => store.close());

async function published(region: string) {
  const header = (await listListHeaders(store.db, region)).find((h) => h.status === 'published')!;
  const list = await readList(store.db, header.id);
  return { entries: list.entries, township_duties: list.township_duties };
}

async function draftContent(region: string) {
  const header = (await listListHeaders(store.db, region)).find((h) => h.status === 'draft')!;
  const list = await readList(store.db, header.id);
  return { entries: list.entries, township_duties: list.township_duties };
}

for (const format of ['csv', 'json'] as const) {
  test(`a list exported as ${format} imports back into a draft unchanged`, async () => {
    const text = await exportList(store.db, { region: '330106', format });
    const report = await importList(deps(), { region: '330106', format, text });
    assert.equal(report.list.status, 'draft');
    assert.ok(report.township_duties > 100);
    assert.deepEqual(await draftContent(XIHU), await published(XIHU));
  });
}

test('a province list of every 大类 and 二级 category survives the CSV round trip', async () => {
  const text = await exportList(store.db, { region: '33', format: 'csv' });
  assert.match(text.split('\r\n')[0]!, /^record,id,category_code,scope_region_code,lead,co_handlers,law/);
  await importList(deps(), { region: '33', format: 'csv', text });
  assert.deepEqual(await draftContent('330000000000'), await published('330000000000'));
});

test('every bad CSV row is reported with its line, and nothing is imported', async () => {
  const good = (await exportList(store.db, { region: '330106', format: 'csv' })).split('\r\n');
  const entry = good.find((l) => l.startsWith('entry,'))!;
  const lines = [
    good[0]!,
    entry,
    entry.replace(/\d+ work_days/, '5 fortnights'),
    entry
      .replace('urban_management@county', 'urban_managment@county')
      .replace('housing_construction@county', 'housng@county'),
    'entry,too,few',
    entry.replace(/^entry,xh-\w+,[^,]+,/, 'entry,xh-new,ZZ99,'),
    'township_duty,,SJ0101,,,,,,,,,,,,330105001000,basic',
    'township_duty,,SJ0101,,,,,,,,,,,,330106002000,sometimes',
  ];
  const before = await listListHeaders(store.db, '330106');
  const error = await importList(deps(), { region: '330106', format: 'csv', text: lines.join('\n') }).then(
    () => assert.fail('the import should be rejected'),
    (e: unknown) => e as DomainError,
  );
  assert.equal(error.code, 'responsibility.import_rejected');
  const rows = (error.details.errors as Array<{ row: number; reason: string }>).map((e) => e.row);
  assert.deepEqual(rows, [3, 4, 5, 8]);
  assert.deepEqual(await listListHeaders(store.db, '330106'), before);
});

test('semantic problems of an otherwise well-formed file are reported by line too', async () => {
  const good = (await exportList(store.db, { region: '330106', format: 'csv' })).split('\r\n');
  const entry = good.find((l) => l.startsWith('entry,'))!;
  const text = [
    good[0],
    entry.replace(/^entry,xh-\w+,[^,]+,/, 'entry,xh-new,ZZ99,'),
    'township_duty,,SJ0101,,,,,,,,,,,,330105001000,basic',
  ].join('\n');
  const error = await importList(deps(), { region: '330106', format: 'csv', text }).catch(
    (e: DomainError) => e,
  );
  assert.ok(error instanceof DomainError);
  assert.deepEqual(
    (error.details.errors as Array<{ row: number; reason: string }>).map((e) => [
      e.row,
      e.reason.split(':')[0],
    ]),
    [
      [2, 'entries[0].category_code'],
      [3, 'township_duties[0].township_code'],
    ],
  );
});

test('a malformed JSON list is reported by path', async () => {
  const text = JSON.stringify({
    entries: [{ id: 'x', category_code: 'SJ01', lead: { type: 'nope', level: 'county' } }],
  });
  const error = await importList(deps(), { region: '330106', format: 'json', text }).catch(
    (e: DomainError) => e,
  );
  assert.ok(error instanceof DomainError && error.code === 'responsibility.import_rejected');
  assert.ok(
    (error.details.errors as Array<{ row: string }>).some((e) => String(e.row).startsWith('entries.0')),
  );
});
