import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import type { ResponsibilityEntry } from '../../src/core/responsibility/entries.ts';
import { seedDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { coverageReport } from '../../src/responsibility/coverage-report.ts';
import { draftList } from '../../src/responsibility/draft-list.ts';
import { readList } from '../../src/responsibility/list-rows.ts';
import { publishList } from '../../src/responsibility/publish-list.ts';
import { resolveResponsibility } from '../../src/responsibility/resolve-responsibility.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { saveDraft } from '../../src/responsibility/save-draft.ts';
import { validateList } from '../../src/responsibility/validate-list.ts';
import { insertCategories } from '../helpers/categories.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
let rules: RulesCache;
const clock = fixedClock('2026-03-02T09:00:00+08:00');
const actor = { user_id: null, username: 'county.center' };
const deps = () => ({ store, clock, actor });
const day = { amount: 1, unit: 'work_days' } as const;

function entry(id: string, category: string, lead: ResponsibilityEntry['lead']): ResponsibilityEntry {
  return {
    id,
    category_code: category,
    scope_region_code: null,
    lead,
    co_handlers: [],
    legal_basis: { law: '《浙江省城市管理相对集中行政处罚权条例》', article: '第八条', text: '……' },
    limits: {
      registration: day,
      dispatch: { amount: 2, unit: 'work_hours' },
      handling: { amount: 5, unit: 'work_days' },
      verification: day,
    },
    escalation: 'parent_command_centre',
  };
}

before(async () => {
  store = await makeTestStore();
  await loadCounty(store, '330106');
  await loadCounty(store, '330105');
  await seedDemoOrganisation({ db: store.db, clock });
  await insertCategories(store.db, [
    ['01', null, '市容环境'],
    ['0101', '01', '暴露垃圾'],
    ['0102', '01', '乱堆物料'],
    ['02', null, '市场监管'],
    ['0201', '02', '无照经营'],
    ['03', null, '故意留空的大类'],
    ['0301', '03', '无人认领的小类'],
  ]);
  rules = new RulesCache(store.db, 0);
});
after(() => store.close());

async function publish(region: string, entries: ResponsibilityEntry[]) {
  const draft = await draftList(deps(), { region });
  await saveDraft(deps(), draft.id, { entries, township_duties: [] });
  return publishList(deps(), draft.id);
}

test('a draft with problems cannot be published and says why', async () => {
  const draft = await draftList(deps(), { region: '33' });
  await saveDraft(deps(), draft.id, {
    entries: [entry('bad', '99', { type: 'urban_management', level: 'county' })],
    township_duties: [],
  });
  assert.deepEqual(
    (await validateList(store.db, draft.id)).map((p) => p.at),
    ['entries[0].category_code'],
  );
  await assert.rejects(publishList(deps(), draft.id), { code: 'responsibility.invalid_list' });
});

test('publishing gives version 1, and the published version can no longer be edited', async () => {
  const draft = await draftList(deps(), { region: '33' });
  await saveDraft(deps(), draft.id, {
    entries: [
      entry('p-01', '01', { type: 'urban_management', level: 'county' }),
      entry('p-02', '02', { type: 'market_regulation', level: 'county' }),
    ],
    township_duties: [],
  });
  const published = await publishList(deps(), draft.id);
  assert.equal(published.version, 1);
  assert.equal(published.published_by, 'county.center');
  await assert.rejects(saveDraft(deps(), draft.id, { entries: [], township_duties: [] }), {
    code: 'responsibility.not_draft',
  });
  await assert.rejects(publishList(deps(), draft.id), { code: 'responsibility.not_draft' });
});

test('resolution names the lead department, the legal basis and the list version', async () => {
  const answer = await resolveResponsibility(
    { db: store.db, rules },
    { category: '0101', region: '330106002051' },
  );
  assert.equal(answer.lead.department?.id, 'dept-330106-urban');
  assert.equal(answer.legal_basis.article, '第八条');
  assert.equal(answer.list.version, 1);
  assert.equal(answer.list.region_code, '330000000000');
  assert.deepEqual(answer.limits.dispatch, { amount: 2, unit: 'work_hours' });
});

test('a county entry overrides the province for that county only, and old versions stay readable', async () => {
  const county = await publish('330106', [entry('c-0101', '0101', { department_id: 'dept-330106-housing' })]);
  const xihu = await resolveResponsibility({ db: store.db, rules }, { category: '0101', region: '330106' });
  assert.equal(xihu.lead.department?.id, 'dept-330106-housing');
  assert.deepEqual(xihu.list, { id: county.id, region_code: '330106000000', version: 1 });
  const gongshu = await resolveResponsibility(
    { db: store.db, rules },
    { category: '0101', region: '330105' },
  );
  assert.equal(gongshu.lead.type, 'urban_management');

  // A new province version supersedes version 1, which stays readable for the cases it routed.
  const v1 = gongshu.list.id;
  const next = await draftList(deps(), { region: '33' });
  const copied = await readList(store.db, next.id);
  assert.deepEqual(
    copied.entries.map((e) => e.id),
    ['p-01', 'p-02'],
  );
  const v2 = await publishList(deps(), next.id);
  assert.equal(v2.version, 2);
  const old = await readList(store.db, v1);
  assert.equal(old.status, 'superseded');
  assert.equal(old.entries.length, 2);
  assert.equal(
    (await resolveResponsibility({ db: store.db, rules }, { category: '0101', region: '330105' })).list
      .version,
    2,
  );
});

test('the gap report finds the category deliberately left without an owner, and the kind of unit a county lacks', async () => {
  const report = await coverageReport({ db: store.db, rules }, { region: '330106' });
  const unowned = report.gaps.filter((g) => g.reason === 'no_entry').map((g) => g.category);
  assert.ok(
    unowned.length > 0 && unowned.every((c) => c === '0301'),
    JSON.stringify(report.gaps.slice(0, 3)),
  );
  assert.equal(report.overlaps.length, 0);
  const gongshu = await coverageReport({ db: store.db, rules }, { region: '330105' });
  assert.ok(
    gongshu.gaps.some(
      (g) => g.reason === 'no_unit' && g.category === '0102' && g.lead_type === 'urban_management',
    ),
  );
});

test('an unknown category or an unowned one is a clear error', async () => {
  await assert.rejects(resolveResponsibility({ db: store.db, rules }, { category: '77', region: '330106' }), {
    code: 'category.not_found',
  });
  await assert.rejects(
    resolveResponsibility({ db: store.db, rules }, { category: '0301', region: '330106' }),
    { code: 'responsibility.unowned' },
  );
});
