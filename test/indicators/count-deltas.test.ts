import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { actOnCase, type WorkflowDeps } from '../../src/cases/act-on-case.ts';
import type { Actor } from '../../src/core/access/roles.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { sumCounts } from '../../src/core/indicators/indicators.ts';
import { loadCaseFacts } from '../../src/indicators/case-facts.ts';
import { foldAllCountDeltas, foldCountDeltas } from '../../src/indicators/count-deltas.ts';
import { CountFolder } from '../../src/indicators/count-folder.ts';
import { getIndicators, type IndicatorQuery } from '../../src/indicators/get-indicators.ts';
import { rebuildCountyCounts } from '../../src/indicators/rebuild-counts.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

const COUNTY = '330106000000';
const { county, urban } = ACTORS;
const clock = fixedClock('2026-03-02T09:00:00+08:00');
let store: TestStore;
let deps: WorkflowDeps;

before(async () => {
  store = await makeTestStore();
  await seedXihu(store, clock);
  deps = { store, clock, rules: new RulesCache(store.db, 0) };
});
after(() => store.close());

const pending = async () =>
  Number(
    (
      await store.db
        .selectFrom('case_count_deltas')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The county's count rows, comparable across stores. */
const snapshot = async () =>
  (await store.db.selectFrom('case_daily_counts').selectAll().where('county_code', '=', COUNTY).execute())
    .map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
    .sort();

async function assertRecomputed(q: IndicatorQuery): Promise<void> {
  const facts = await loadCaseFacts(store.db, {
    region: { code: COUNTY, level: 'county' },
    from: q.from,
    to: q.to,
    department: q.department,
    grid: q.grid,
  });
  assert.deepEqual((await getIndicators(store.db, q)).counts, sumCounts(facts), JSON.stringify(q));
}

/** Cases written as an import would write them, counted by a rebuild, then moved by workflow steps. */
async function casesWithSteps(count: number, day: string): Promise<string[]> {
  clock.set(`${day}T08:00:00+08:00`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(
      (
        await makeCase(
          { db: store.db, keyring: store.keyring, clock },
          { category_code: i % 2 ? 'SJ0102' : 'ZA0101' },
        )
      ).id,
    );
  await rebuildCountyCounts(store.db, COUNTY);
  assert.equal(await pending(), 0, 'a rebuild leaves no delta of its county pending');
  const step = (actor: Actor, id: string, action: string, version: number) =>
    actOnCase(deps, actor, id, { action: action as never, expected_version: version });
  for (const [i, id] of ids.entries()) {
    clock.set(`${day}T${String(9 + i).padStart(2, '0')}:00:00+08:00`);
    await step(county, id, 'register', 1);
    // A dispatch gives the case an owner: its key changes, and its counts move between rows.
    if (i >= 1) await step(county, id, 'dispatch', 2);
    if (i >= 3 && i % 2 === 1) await step(urban, id, 'accept', 3);
  }
  return ids;
}

test('workflow steps append deltas; indicators count them before and after the fold; the fold equals a rebuild', async () => {
  await casesWithSteps(6, '2026-03-02');
  assert.ok((await pending()) >= 6, 'each step appended its counts');
  const queries: IndicatorQuery[] = [
    { region: '330106', from: '2026-03-01', to: '2026-03-31' },
    { region: '330106', from: '2026-03-02', to: '2026-03-02' },
    { region: '330106', from: '2026-01-01', to: '2026-12-31', department: 'dept-330106-urban' },
  ];
  for (const q of queries) await assertRecomputed(q);
  const folded = await foldAllCountDeltas(store);
  assert.ok(folded >= 6);
  assert.equal(await pending(), 0);
  for (const q of queries) await assertRecomputed(q);
  const afterFold = await snapshot();
  await rebuildCountyCounts(store.db, COUNTY);
  assert.deepEqual(afterFold, await snapshot());
});

test('folds running at once apply every delta exactly once', async () => {
  await casesWithSteps(5, '2026-03-03');
  const before = await pending();
  assert.ok(before >= 5);
  const results = await Promise.all([
    foldCountDeltas(store.db, 2),
    foldCountDeltas(store.db, 3),
    foldAllCountDeltas(store, 4),
    foldAllCountDeltas(store),
  ]);
  assert.equal(
    results.reduce((a, b) => a + b, 0),
    before,
  );
  assert.equal(await pending(), 0);
  const folded = await snapshot();
  await rebuildCountyCounts(store.db, COUNTY);
  assert.deepEqual(folded, await snapshot());
});

test('a CountFolder folds once the steps it is told of pass its threshold', async () => {
  const ids = await casesWithSteps(3, '2026-03-04');
  await foldAllCountDeltas(store);
  const folder = new CountFolder(store, { threshold: 3 });
  const withFolder: WorkflowDeps = { ...deps, counts: folder };
  clock.set('2026-03-04T15:00:00+08:00');
  // Two steps that move counts (register → dispatch moves the owner: two delta rows each).
  await actOnCase(withFolder, urban, ids[1]!, { action: 'accept', expected_version: 3 });
  await folder.settled();
  const belowThreshold = await pending();
  assert.equal(belowThreshold, 1, 'one delta, below the threshold: still pending');
  await assertRecomputed({ region: '330106', from: '2026-03-04', to: '2026-03-04' });
  const c = await makeCase({ db: store.db, keyring: store.keyring, clock }, { category_code: 'SJ0102' });
  await rebuildCountyCounts(store.db, COUNTY);
  await actOnCase(withFolder, county, c.id, { action: 'register', expected_version: 1 });
  await actOnCase(withFolder, county, c.id, { action: 'dispatch', expected_version: 2 });
  await folder.settled();
  assert.equal(await pending(), 0, 'past the threshold the folder folded them');
  await assertRecomputed({ region: '330106', from: '2026-03-04', to: '2026-03-04' });
  const folded = await snapshot();
  await rebuildCountyCounts(store.db, COUNTY);
  assert.deepEqual(folded, await snapshot());
});
