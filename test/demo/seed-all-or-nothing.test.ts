import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { isDomainError } from '../../src/core/errors.ts';
import { isEmptyDatabase, seedDemo, type DemoProgress } from '../../src/demo/seed-demo.ts';
import { describeError } from '../../src/i18n/messages.ts';
import { demoProgressLine } from '../../src/i18n/startup.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

const TABLES = [
  'regions',
  'categories',
  'departments',
  'users',
  'responsibility_lists',
  'grids',
  'cases',
  'case_events',
  'case_daily_counts',
  'meta',
] as const;

let store: TestStore;
before(async () => {
  store = await makeTestStore();
});
after(() => store.close());

async function rows(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const { n } = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  return counts;
}

test('a seed that fails halfway through the history leaves nothing behind, says how to start over, and the next seeds whole', async () => {
  const before = await rows();
  const clock = fixedClock('2026-12-05T15:45:00Z');
  const seen: DemoProgress[] = [];
  const failing = seedDemo(
    { store, clock },
    {
      password: 'demo',
      cases: 600,
      onProgress: (p) => {
        seen.push(p);
        // The disk fills up, the process is told to stop …: any failure once history rows are written.
        if (p.history?.phase === 'write' && p.history.done > 0) throw new Error('disk I/O error');
      },
    },
  );
  await assert.rejects(failing, (error: unknown) => {
    assert.ok(isDomainError(error) && error.code === 'demo.seed_failed');
    const { zh, en } = describeError(error.code, error.details);
    assert.match(zh, /SHANZHI_DEMO=0/);
    assert.match(en, /nothing of it was kept.*disk I\/O error.*SHANZHI_DEMO=0.*fresh data directory/);
    return true;
  });
  // Every step before the history ran and wrote its rows; none of them stayed.
  assert.deepEqual(
    [...new Set(seen.map((p) => p.step))],
    ['regions', 'taxonomy', 'organisation', 'accounts', 'responsibility', 'open311', 'grids', 'history'],
  );
  assert.deepEqual(await rows(), before);
  assert.equal(await isEmptyDatabase(store), true);

  const lines: string[] = [];
  const report = await seedDemo(
    { store, clock },
    { password: 'demo', cases: 600, onProgress: (p) => lines.push(demoProgressLine(p)) },
  );
  assert.ok(report.cases > 400 && report.regions > 20000, JSON.stringify(report));
  const after = await rows();
  for (const table of TABLES) assert.ok(after[table]! > 0, table);
  // Progress is told step by step, the history as n of N cases, Chinese first.
  assert.ok(lines.some((l) => /^演示数据 1\/8 行政区划.* \/ demo 1\/8 regions/.test(l)));
  assert.ok(lines.some((l) => /已写入 \d+\/\d+ 件 \/ .*\d+ of \d+ cases written/.test(l)));
});
