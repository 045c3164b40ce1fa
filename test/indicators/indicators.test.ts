import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { computeIndicators, sumCounts, type CaseFacts } from '../../src/core/indicators/indicators.ts';
import { chinaDay } from '../../src/core/indicators/period.ts';
import {
  getIndicators,
  listIndicatorCases,
  type IndicatorQuery,
} from '../../src/indicators/get-indicators.ts';
import { rebuildCountyCounts, refreshCaseCounts } from '../../src/indicators/rebuild-counts.ts';
import { insertCases, syntheticCases, type CasePlace } from '../helpers/case-facts.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
const DEPTS = ['dept-330106-urban', 'dept-330106-market', 'dept-330106-housing', null];

async function placesOf(county: string): Promise<CasePlace[]> {
  const communities = await store.db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 5)
    .where('code', 'like', `${county}%`)
    .orderBy('code')
    .limit(12)
    .execute();
  return communities.flatMap((c, i) => [
    { county_code: `${county}000000`, region_code: c.code, grid_code: `${c.code}001` },
    { county_code: `${county}000000`, region_code: c.code, grid_code: i % 3 === 0 ? null : `${c.code}002` },
  ]);
}

before(async () => {
  store = await makeTestStore();
  await loadCounty(store, '330106');
  await loadCounty(store, '330105');
  const period = { from: '2025-10-20T00:00:00Z', to: '2026-03-10T00:00:00Z', departments: DEPTS };
  await insertCases(store.db, [
    ...syntheticCases({ count: 400, seed: 7, places: await placesOf('330106'), ...period }),
    ...syntheticCases({ count: 150, seed: 8, places: await placesOf('330105'), ...period }),
  ]);
  await rebuildCountyCounts(store.db, '330106000000');
  await rebuildCountyCounts(store.db, '330105000000');
});
after(() => store.close());

/** Every case row, read plainly from `cases`, as the recomputation's input. */
async function allCases(): Promise<Array<CaseFacts & Record<string, unknown>>> {
  const rows = await store.db.selectFrom('cases').selectAll().execute();
  return rows.map((r) => {
    const out: Record<string, unknown> = { ...r };
    for (const [k, v] of Object.entries(out)) if (v instanceof Date) out[k] = v.toISOString();
    return out as CaseFacts & Record<string, unknown>;
  });
}

/** The indicators recomputed from raw rows with the pure function, filtered here in plain code. */
async function recompute(q: IndicatorQuery) {
  const prefix = q.region.replace(/(000)+$/, '').replace(/^(\d{6})$/, '$1');
  const facts = (await allCases()).filter((c) => {
    const day = chinaDay(c.reported_at);
    return (
      String(c.region_code).startsWith(prefix) &&
      day >= q.from &&
      day <= q.to &&
      (q.department === undefined || c.owner_department_id === q.department) &&
      (q.grid === undefined || c.grid_code === q.grid)
    );
  });
  return { facts, indicators: computeIndicators(facts), counts: sumCounts(facts) };
}

async function assertMatches(q: IndicatorQuery): Promise<number> {
  const api = await getIndicators(store.db, q);
  const expected = await recompute(q);
  assert.deepEqual(api.counts, expected.counts, JSON.stringify(q));
  for (const [key, value] of Object.entries(expected.indicators)) {
    const {
      numerator_cases_url: _n,
      denominator_cases_url: _d,
      ...got
    } = api.indicators[key as keyof typeof api.indicators];
    assert.deepEqual(got, value, `${key} of ${JSON.stringify(q)}`);
  }
  return expected.facts.length;
}

test('every indicator of a county equals a recomputation from its raw cases, for any period', async () => {
  const periods = [
    ['2025-01-01', '2026-12-31'],
    ['2025-11-01', '2026-01-31'],
    ['2025-11-15', '2026-02-10'],
    ['2026-01-07', '2026-01-07'],
    ['2025-12-31', '2026-01-01'],
  ];
  for (const [from, to] of periods) {
    const n = await assertMatches({ region: '330106', from: from!, to: to! });
    assert.ok(n > 0 || from === to, `cases in ${from}..${to}`);
  }
});

test('a sibling county’s cases never count in the county; a township counts only its own', async () => {
  const whole = { from: '2025-01-01', to: '2026-12-31' };
  const xihu = await getIndicators(store.db, { region: '330106', ...whole });
  const gongshu = await getIndicators(store.db, { region: '330105', ...whole });
  assert.equal(xihu.counts.cases, 400);
  assert.equal(gongshu.counts.cases, 150);
  const city = await getIndicators(store.db, { region: '3301', ...whole });
  assert.equal(city.counts.cases, 550);
  await assertMatches({ region: '3301', ...whole });
  const township = (await recompute({ region: '330106', ...whole })).facts[0]!.region_code as string;
  await assertMatches({ region: township.slice(0, 9), ...whole });
  await assertMatches({ region: township, from: '2025-11-15', to: '2026-02-10' });
});

test('department and grid filters equal a recomputation over the same cases', async () => {
  const q = { region: '330106', from: '2025-11-15', to: '2026-02-10' };
  const any = (await recompute(q)).facts.find((c) => c.grid_code && c.owner_department_id)!;
  await assertMatches({ ...q, department: 'dept-330106-urban' });
  await assertMatches({ ...q, grid: any.grid_code as string });
  await assertMatches({ ...q, grid: any.grid_code as string, department: any.owner_department_id as string });
  assert.equal((await getIndicators(store.db, { ...q, department: 'nobody' })).counts.cases, 0);
});

test('counts refreshed for changed cases equal a recomputation and a full rebuild', async () => {
  const rows = await allCases();
  const changed = rows.filter((c) => c.county_code === '330106000000').slice(0, 40);
  for (const [i, c] of changed.entries()) {
    await store.db
      .updateTable('cases')
      .set({
        stage: i % 2 ? 'closed_unfixed' : 'closed',
        registered_at: c.registered_at ?? c.reported_at,
        dispatched_at: c.dispatched_at ?? c.reported_at,
        accepted_at: c.accepted_at ?? c.reported_at,
        feedback_at: c.feedback_at ?? c.reported_at,
        closed_at: c.closed_at ?? c.reported_at,
        owner_department_id: i % 3 ? 'dept-330106-market' : 'dept-330106-urban',
        rating: 5,
        rated_fixed: 1,
      })
      .where('id', '=', c.id as string)
      .execute();
  }
  await store.db.transaction().execute((tx) =>
    refreshCaseCounts(
      tx,
      changed.map((c) => c.id as string),
    ),
  );
  await assertMatches({ region: '330106', from: '2025-01-01', to: '2026-12-31' });
  await assertMatches({
    region: '330106',
    from: '2025-11-15',
    to: '2026-02-10',
    department: 'dept-330106-urban',
  });
  const snapshot = async () =>
    (
      await store.db
        .selectFrom('case_daily_counts')
        .selectAll()
        .where('county_code', '=', '330106000000')
        .execute()
    )
      .map((r) =>
        JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])),
      )
      .sort();
  const refreshed = await snapshot();
  await rebuildCountyCounts(store.db, '330106000000');
  assert.deepEqual(refreshed, await snapshot());
});

test('the drill-down lists exactly the cases behind each count', async () => {
  const q = { region: '330106', from: '2025-11-15', to: '2026-02-10' };
  const report = await getIndicators(store.db, q);
  for (const count of ['handled_on_time', 'resolved', 'verdict', 'dispatched_accurately'] as const) {
    const listed = await listIndicatorCases(store.db, { ...q, count, limit: 1000, offset: 0 });
    assert.equal(listed.total, report.counts[count], count);
    assert.equal(listed.items.length, Math.min(1000, listed.total));
  }
  const url = new URL(report.indicators.resolution_rate.numerator_cases_url, 'http://x');
  assert.equal(url.searchParams.get('count'), 'resolved');
  assert.equal(url.searchParams.get('region'), '330106000000');
});
