import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { computeIndicators } from '../src/core/indicators/indicators.ts';
import { openStore } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { factsFromRow, loadCaseFacts } from '../src/indicators/case-facts.ts';
import { getIndicators } from '../src/indicators/get-indicators.ts';
import { appendCountDelta, foldAllCountDeltas } from '../src/indicators/count-deltas.ts';
import { rebuildCountyCounts, refreshCaseCounts } from '../src/indicators/rebuild-counts.ts';
import { syntheticCases, type CasePlace } from '../test/helpers/case-facts.ts';
import { loadCounty } from '../test/helpers/regions.ts';
import { insertPlainRows, openBulk } from './bulk-load.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

const COUNTY = '330106000000';
const YEAR = { from: '2025-01-01', to: '2025-12-31' };

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/**
 * Indicators of one county over a year on the embedded store: 1,000,000 cases (quick: 100,000)
 * reported through 2025, read from the pre-aggregated counts, beside the naive recomputation
 * (load the year's cases and run the pure function) measured in the same run.
 */
export async function benchIndicators(options: BenchOptions): Promise<BenchRow[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-indicators-'));
  const store = openStore({ dataDir: dir });
  try {
    await migrateToLatest(store);
    await loadCounty(store, COUNTY.slice(0, 6));
    const communities = await store.db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 5)
      .where('code', 'like', `${COUNTY.slice(0, 6)}%`)
      .execute();
    const places: CasePlace[] = communities.flatMap((c) =>
      [1, 2, 3, 4].map((g) => ({ county_code: COUNTY, region_code: c.code, grid_code: `${c.code}00${g}` })),
    );
    const departments = Array.from({ length: 20 }, (_, i) => `dept-330106-${i}`);

    const bulk = openBulk(dir);
    const load = timed(async () => {
      const chunk = 50_000;
      for (let i = 0; i < total; i += chunk) {
        const rows = syntheticCases({
          count: Math.min(chunk, total - i),
          seed: i + 1,
          places,
          departments,
          from: '2024-12-31T16:00:00Z',
          to: '2025-12-31T16:00:00Z',
        });
        insertPlainRows(bulk, 'cases', rows);
      }
    });
    const loaded = await load;
    bulk.close();
    const rebuild = await rebuildCountyCounts(store.db, COUNTY);

    const query = { region: COUNTY.slice(0, 6), ...YEAR };
    await getIndicators(store.db, query); // warm the page cache and the statement cache
    const runs: number[] = [];
    let answer;
    for (let i = 0; i < 7; i++) {
      const t = await timed(() => getIndicators(store.db, query));
      runs.push(t.ms);
      answer = t.value;
    }
    runs.sort((a, b) => a - b);
    const median = runs[Math.floor(runs.length / 2)]!;

    const naive = await timed(async () =>
      computeIndicators(
        await loadCaseFacts(store.db, { region: { code: COUNTY, level: 'county' }, ...YEAR }),
      ),
    );
    for (const [key, value] of Object.entries(naive.value)) {
      const got = answer!.indicators[key as keyof typeof naive.value];
      if (got.numerator !== value.numerator || got.denominator !== value.denominator) {
        throw new Error(`indicators: ${key} differs from the recomputation`);
      }
    }

    // The alternative the decision weighed: one GROUP BY over `cases` (a few of the sums only).
    const groupBy = await timed(() =>
      sql`SELECT count(*) AS n,
            sum(CASE WHEN registered_at IS NOT NULL THEN 1 ELSE 0 END) AS registered,
            sum(CASE WHEN dispatched_at IS NOT NULL AND return_count = 0 AND dispatch_overridden = 0 THEN 1 ELSE 0 END) AS accurate,
            sum(CASE WHEN feedback_at IS NOT NULL AND feedback_at <= handling_deadline THEN 1 ELSE 0 END) AS on_time,
            sum(CASE WHEN stage IN ('closed', 'closed_unfixed') THEN 1 ELSE 0 END) AS closed,
            sum(CASE WHEN rating >= 4 THEN 1 ELSE 0 END) AS satisfied
          FROM cases WHERE county_code = ${COUNTY}
            AND reported_at >= '2024-12-31T16:00:00.000Z' AND reported_at < '2025-12-31T16:00:00.000Z'`.execute(
        store.db,
      ),
    );

    // A case in handling, so that the step below (fed back on time) moves its counts.
    const one = await store.db
      .selectFrom('cases')
      .selectAll()
      .where('dispatched_at', 'is not', null)
      .where('feedback_at', 'is', null)
      .limit(1)
      .executeTakeFirstOrThrow();
    const refresh = await timed(() =>
      store.db.transaction().execute((tx) => refreshCaseCounts(tx, [one.id])),
    );
    // What a workflow step does in its transaction: move one case's contribution from its old
    // facts to its new ones (here: handled, fed back on time), and back, 200 times; the median.
    const before = factsFromRow(one);
    const afterStep = factsFromRow({
      ...one,
      feedback_at: one.dispatched_at,
      stage: 'awaiting_verification',
    });
    const deltas: number[] = [];
    for (let i = 0; i < 200; i++) {
      const [from, to] = i % 2 === 0 ? [before, afterStep] : [afterStep, before];
      deltas.push(
        (await timed(() => store.db.transaction().execute((tx) => appendCountDelta(tx, from, to)))).ms,
      );
    }
    deltas.sort((a, b) => a - b);
    const delta = deltas[100]!;
    // The deltas are folded into the day and month rows later, in batches (decisions/0005).
    const fold = await timed(() => foldAllCountDeltas(store));
    if (fold.value !== deltas.length)
      throw new Error(`expected ${deltas.length} deltas, folded ${fold.value}`);

    const size = `${total.toLocaleString('en')} cases`;
    return [
      row(
        'indicators.county_year_ms',
        median,
        'ms',
        'lower',
        { name: 'load the year’s cases and run the pure function', value: naive.ms },
        `${size}, median of 7; target < 200 ms; one GROUP BY over cases (6 sums only) took ` +
          `${Math.round(groupBy.ms)} ms; load ${Math.round(loaded.ms)} ms`,
      ),
      row(
        'indicators.rebuild_county_ms',
        rebuild.milliseconds,
        'ms',
        'lower',
        null,
        `${size} → ${rebuild.rows.toLocaleString('en')} count rows`,
      ),
      row(
        'indicators.step_delta_ms',
        delta,
        'ms',
        'lower',
        { name: 'recompute the case’s county-day from its cases', value: refresh.ms },
        `the counts one workflow step moves (old facts out, new facts in: one delta row, folded ` +
          `later into 8 day and month rows; folding these ${fold.value} took ${fold.ms.toFixed(1)} ms), ` +
          `median of 200 transactions; the recompute covers ~${Math.round(total / 365)} cases`,
      ),
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchIndicators({ quick: process.argv.includes('--quick'), databaseUrl: undefined }));
}
