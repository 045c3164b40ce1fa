import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { actOnCase, type WorkflowDeps } from '../../src/cases/act-on-case.ts';
import type { Actor } from '../../src/core/access/roles.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { computeIndicators, sumCounts } from '../../src/core/indicators/indicators.ts';
import { loadCaseFacts } from '../../src/indicators/case-facts.ts';
import { getIndicators } from '../../src/indicators/get-indicators.ts';
import { rebuildCountyCounts } from '../../src/indicators/rebuild-counts.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';

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

test('the indicator counts follow every workflow step in its transaction and equal a recomputation', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i++)
    ids.push(
      (
        await makeCase(
          { db: store.db, keyring: store.keyring, clock },
          { category_code: i % 2 ? 'SJ0102' : 'ZA0101' },
        )
      ).id,
    );
  // makeCase writes rows directly, as an import would: a rebuild brings the counts in line once.
  await rebuildCountyCounts(store.db, '330106000000');
  const step = async (actor: Actor, id: string, action: string, version: number, extra: object = {}) =>
    actOnCase(deps, actor, id, { action: action as never, expected_version: version, ...extra });
  for (const [i, id] of ids.entries()) {
    clock.set(`2026-03-02T${String(9 + i).padStart(2, '0')}:00:00+08:00`);
    await step(county, id, 'register', 1);
    if (i === 0) await step(county, id, 'void', 2, { reason: '重复' }).catch(() => undefined);
    if (i >= 2) await step(county, id, 'dispatch', 2);
    if (i >= 3 && i % 2 === 1) await step(urban, id, 'accept', 3);
  }
  const q = { region: '330106', from: '2026-03-01', to: '2026-03-31' };
  const api = await getIndicators(store.db, q);
  const facts = await loadCaseFacts(store.db, {
    region: { code: '330106000000', level: 'county' },
    from: q.from,
    to: q.to,
  });
  assert.equal(facts.length, 6);
  assert.deepEqual(api.counts, sumCounts(facts));
  for (const [key, value] of Object.entries(computeIndicators(facts))) {
    const {
      numerator_cases_url: _n,
      denominator_cases_url: _d,
      ...got
    } = api.indicators[key as keyof typeof api.indicators];
    assert.deepEqual(got, value, key);
  }
  assert.ok(api.counts.registered >= 5 && api.counts.dispatched >= 4, JSON.stringify(api.counts));
});
