import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { isDomainError } from '../../src/core/errors.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { addCategory } from '../../src/taxonomy/add-category.ts';
import { importTaxonomyCsv } from '../../src/taxonomy/import-taxonomy-csv.ts';
import { listCategories } from '../../src/taxonomy/list-categories.ts';
import { removeCategory } from '../../src/taxonomy/remove-category.ts';
import { renameCategory } from '../../src/taxonomy/rename-category.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

const ZJ = '330000000000';
const XIHU = '330106';
const GONGSHU = '330105';
const COMPLAINTS = fileURLToPath(
  new URL('../../../shared/data/complaints-cn/taxonomy-3-level.csv', import.meta.url),
);

let store: TestStore;
const clock = fixedClock('2026-03-01T08:00:00Z');
const deps = () => ({ store, clock });
const refused = (code: string) => (e: unknown) => isDomainError(e) && e.code === code;

before(async () => {
  store = await makeTestStore();
  await loadCounty(store);
  await loadCounty(store, GONGSHU);
  await seedBaseTaxonomy(deps(), ZJ);
});
after(() => store.close());

test('the province seed holds GB/T 30428 部件 and 事件 codes and the social-governance branches', async () => {
  const all = await listCategories(store.db, '33');
  const byCode = new Map(all.map((c) => [c.code, c]));
  assert.equal(byCode.get('BJ0101')?.name, '上水井盖');
  assert.equal(byCode.get('SJ0201')?.name, '非法小广告');
  assert.equal(byCode.get('SJ0101')?.leaf, true);
  assert.equal(byCode.get('SJ01')?.leaf, false);
  for (const root of ['MD', 'AQ', 'ZA', 'FW', 'ZX']) assert.ok(byCode.get(root), root);
  assert.ok(all.every((c) => c.region_code === ZJ && c.name_en !== ''));
  const again = await seedBaseTaxonomy(deps(), ZJ);
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, all.length]);
});

test('a county adds a subcategory under a province category, with a letter-led code', async () => {
  const added = await addCategory(deps(), { region: XIHU, parent_code: 'SJ05', name: '共享单车乱停放' });
  assert.equal(added.code, 'SJ05A0');
  assert.equal(added.region_code, '330106000000');
  assert.equal(added.leaf, true);
  assert.equal(added.kind, 'event');
});

test('a county may not rename or remove a province category (inheritance rule)', async () => {
  await assert.rejects(
    renameCategory(deps(), { region: XIHU, code: 'SJ0101', name: '违法建设' }),
    refused('category.inherited_readonly'),
  );
  await assert.rejects(
    removeCategory(deps(), { region: XIHU, code: 'SJ0101' }),
    refused('category.inherited_readonly'),
  );
  await assert.rejects(
    addCategory(deps(), { region: XIHU, parent_code: 'SJ0101', name: '细分' }),
    refused('category.add_refused'),
  );
  await assert.rejects(
    addCategory(deps(), { region: XIHU, parent_code: null, name: '区级大类' }),
    refused('category.add_refused'),
  );
});

test('a county renames and removes its own addition', async () => {
  const added = await addCategory(deps(), { region: XIHU, parent_code: 'MD01', name: '楼道堆物' });
  const renamed = await renameCategory(deps(), { region: XIHU, code: added.code, name: '楼道堆物纠纷' });
  assert.equal(renamed.name, '楼道堆物纠纷');
  await removeCategory(deps(), { region: XIHU, code: added.code });
  assert.ok(!(await listCategories(store.db, XIHU)).some((c) => c.code === added.code));
});

test('compiled rules already loaded (every server’s RulesCache) see an added, renamed and removed category', async () => {
  const rules = new RulesCache(store.db, 0);
  await rules.current();
  const added = await addCategory(deps(), { region: XIHU, parent_code: 'MD01', name: '楼道杂物' });
  assert.equal((await rules.current()).categories.get(added.code)?.name, '楼道杂物');
  // A rename leaves the number of categories as it was: the taxonomy moves the rules' revision.
  await renameCategory(deps(), { region: XIHU, code: added.code, name: '楼道杂物纠纷' });
  assert.equal((await rules.current()).categories.get(added.code)?.name, '楼道杂物纠纷');
  await removeCategory(deps(), { region: XIHU, code: added.code });
  assert.equal((await rules.current()).categories.get(added.code), undefined);
});

test('a sibling county’s addition is invisible, also to its communities; the county’s own is visible below it', async () => {
  const gongshu = await listCategories(store.db, GONGSHU);
  assert.ok(!gongshu.some((c) => c.code === 'SJ05A0'));
  const [community0] = await listWithin(store.db, XIHU, 'community');
  const community = (await listCategories(store.db, community0!.code)).map((c) => c.code);
  assert.ok(community.includes('SJ05A0'));
  assert.ok(!(await listCategories(store.db, ZJ)).some((c) => c.code === 'SJ05A0'));
  await assert.rejects(
    renameCategory(deps(), { region: GONGSHU, code: 'SJ05A0', name: 'x' }),
    refused('category.not_found'),
  );
  const theirs = await addCategory(deps(), { region: GONGSHU, parent_code: 'SJ05', name: '共享单车乱停放' });
  assert.equal(theirs.code, 'SJ05A1', 'codes are unique across the province');
});

test('the real 517-row 3-level complaint taxonomy imports, and again changes nothing', async (t) => {
  if (!existsSync(COMPLAINTS))
    return t.skip(`${COMPLAINTS} is absent (../shared/data beside the repository)`);
  const csv = readFileSync(COMPLAINTS, 'utf8');
  const first = await importTaxonomyCsv(deps(), { region: ZJ, csv });
  assert.equal(first.rows, 517);
  assert.equal(first.format, 'names');
  const all = await listCategories(store.db, ZJ);
  const imported = all.filter((c) => c.kind === 'request');
  assert.equal(imported.filter((c) => c.depth === 1).length, 15);
  assert.equal(imported.filter((c) => c.depth === 3).length, 517);
  assert.equal(first.inserted, imported.length);
  const urban = imported.find((c) => c.name === '城乡建设')!;
  assert.equal(urban.code, '01');
  assert.equal(imported.find((c) => c.parent_code === '0101')?.code, '010101');
  const second = await importTaxonomyCsv(deps(), { region: ZJ, csv });
  assert.deepEqual([second.inserted, second.updated], [0, 0]);
  assert.deepEqual(await listCategories(store.db, ZJ), all);
});

test('a file with bad rows is rejected whole, naming each row and reason', async () => {
  const csv = '一级分类,二级分类,三级分类\n测试大类,测试小类,甲\n测试大类,,乙\n,,\n';
  await assert.rejects(importTaxonomyCsv(deps(), { region: ZJ, csv }), (e) => {
    assert.ok(isDomainError(e) && e.code === 'category.import_rejected');
    const errors = e.details.errors as Array<{ row: number; reason: string }>;
    assert.deepEqual(
      errors.map((r) => r.row),
      [3, 4],
    );
    assert.match(errors[0]!.reason, /二级分类 is empty/);
    assert.match(errors[1]!.reason, /no category name/);
    return true;
  });
  assert.ok(!(await listCategories(store.db, ZJ)).some((c) => c.name === '测试大类'));
  const coded = 'code,name,kind\nSJ0101,改名,event\nSJ05B0,新增,event\n';
  await assert.rejects(importTaxonomyCsv(deps(), { region: XIHU, csv: coded }), (e) => {
    const errors = (e as { details: { errors: Array<{ row: number; reason: string }> } }).details.errors;
    assert.deepEqual(
      errors.map((r) => r.row),
      [2],
    );
    assert.match(errors[0]!.reason, /not rename/);
    return true;
  });
  assert.ok(!(await listCategories(store.db, XIHU)).some((c) => c.code === 'SJ05B0'));
});

test('a county imports names under a province category as its own additions', async () => {
  const csv = '小类\n电瓶车飞线充电\n楼道违规停放电动车\n';
  const report = await importTaxonomyCsv(deps(), { region: XIHU, csv, under: 'AQ01' });
  assert.equal(report.inserted, 2);
  const mine = (await listCategories(store.db, XIHU)).filter(
    (c) => c.parent_code === 'AQ01' && c.region_code !== ZJ,
  );
  assert.deepEqual(
    mine.map((c) => [c.code, c.kind]),
    [
      ['AQ01A0', 'hazard'],
      ['AQ01A1', 'hazard'],
    ],
  );
});
