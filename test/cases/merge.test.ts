import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { actOnCase, type WorkflowDeps } from '../../src/cases/act-on-case.ts';
import { getCase } from '../../src/cases/get-case.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { DomainError } from '../../src/core/errors.ts';
import { getIndicators } from '../../src/indicators/get-indicators.ts';
import { rebuildCountyCounts } from '../../src/indicators/rebuild-counts.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
const { county } = ACTORS;
let store: TestStore;
let deps: WorkflowDeps;

before(async () => {
  store = await makeTestStore();
  await seedXihu(store, clock);
  deps = { store, clock, rules: new RulesCache(store.db, 0) };
});
after(() => store.close());

test('a duplicate merged into its original is linked, leaves the open work, and is not counted as registered', async () => {
  const original = await makeCase({ db: store.db, keyring: store.keyring, clock });
  clock.advance(10 * 60_000);
  const duplicate = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await rebuildCountyCounts(store.db, '330106000000');
  await actOnCase(deps, county, original.id, { action: 'register', expected_version: 1 });
  await assert.rejects(
    actOnCase(deps, county, duplicate.id, { action: 'merge', expected_version: 1 }),
    (e: unknown) => e instanceof DomainError && e.code === 'case.field_required',
  );
  await assert.rejects(
    actOnCase(deps, county, duplicate.id, {
      action: 'merge',
      expected_version: 1,
      merged_into: duplicate.id,
    }),
    (e: unknown) => e instanceof DomainError,
  );
  await actOnCase(deps, county, duplicate.id, {
    action: 'merge',
    expected_version: 1,
    merged_into: original.id,
  });

  const merged = await getCase(store, county, duplicate.id);
  assert.equal(merged.status, 'merged');
  assert.deepEqual(
    merged.timeline.map((e) => [e.action, e.payload.merged_into ?? null]),
    [
      ['report', null],
      ['merge', original.id],
    ],
  );
  assert.equal(merged.deadlines.next_check_at, null, 'no clock runs on a merged case');
  assert.deepEqual(merged.allowed_actions, []);

  const day = { region: '330106', from: '2026-03-02', to: '2026-03-02' };
  const { counts } = await getIndicators(store.db, day);
  assert.equal(counts.cases, 2);
  assert.equal(counts.registered, 1, 'only the original is a registered case');
});
