import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { openStore } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { HISTORY_TABLES, seedDemoHistory } from '../src/demo/demo-history.ts';
import { DEMO_CASES, DEMO_HISTORY_SEED, seedDemo } from '../src/demo/seed-demo.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

/**
 * The demo's year of history at full size for 20 random seeds (the quick run: 2 seeds of 2,000),
 * each up to this run's real clock: every one must seed with no case stuck, or the bench fails.
 * The test suite covers 62 dates at a reduced size (test/demo/demo-dates.test.ts).
 */
export async function benchDemo(options: BenchOptions): Promise<BenchRow[]> {
  const seeds = options.quick ? 2 : 20;
  const cases = options.quick ? 2_000 : DEMO_CASES;
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-demo-'));
  const store = openStore({ dataDir: dir });
  try {
    await migrateToLatest(store);
    await seedDemo({ store, clock: systemClock }, { password: 'demo', cases: 0 });
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < seeds; i++) {
      for (const table of HISTORY_TABLES) {
        await store.db.deleteFrom(table).execute();
      }
      const seed = DEMO_HISTORY_SEED + i * 7_919;
      const report = await seedDemoHistory({ store }, { seed, cases, until: systemClock.now() });
      if (report.stuck > 0) throw new Error(`demo history, seed ${seed}: ${report.stuck} cases stuck`);
      times.push(report.milliseconds / 1000);
      total += report.cases;
    }
    const mean = times.reduce((s, t) => s + t, 0) / times.length;
    return [
      row(
        'demo.history_seconds',
        mean,
        's',
        'lower',
        null,
        `${seeds} seeds × ~${cases} cases up to now (${total} cases), all seeded, none stuck; ` +
          `slowest ${Math.max(...times).toFixed(1)} s`,
      ),
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
