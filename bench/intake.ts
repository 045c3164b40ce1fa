import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/core/clock.ts';
import { openStore, type Store } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { DEMO_BOX } from '../src/demo/demo-grids.ts';
import { seedDemo } from '../src/demo/seed-demo.ts';
import { buildApp } from '../src/http/app.ts';
import { makeAppDeps } from '../src/http/deps.ts';
import { listCategories } from '../src/taxonomy/list-categories.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';
import { benchSteps } from './workflow.ts';

/** Requests in flight at once, as a handful of clients submitting together would have them. */
const CONCURRENCY = 4;
/** A busier moment: a county's operators and residents submitting together. */
const CROWD = 16;

function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Report {
  channel: 'web';
  category: string;
  title: string;
  description: string;
  location: { lon: number; lat: number };
  idempotency_key: string;
}

function makeReports(count: number, leaves: string[], seed: number): Report[] {
  const random = makeRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    channel: 'web',
    category: leaves[Math.floor(random() * leaves.length)]!,
    title: `测试上报 ${i}`,
    description: '基准测试：路面坑洼，影响通行，请尽快处理。',
    location: {
      lon: DEMO_BOX.minLon + random() * (DEMO_BOX.maxLon - DEMO_BOX.minLon),
      lat: DEMO_BOX.minLat + random() * (DEMO_BOX.maxLat - DEMO_BOX.minLat),
    },
    idempotency_key: randomUUID(),
  }));
}

/**
 * The database's own ceiling for the same rows: one transaction per report inserting a case row
 * and its first event with plain Kysely, nothing else (no validation, location, numbering,
 * duplicate check, counts or HTTP), into the same database the intake writes to, so that both
 * meet the same tables, indexes and history. Rows per second.
 */
async function insertCeiling(store: Store, reports: Report[], offset: number): Promise<number> {
  const started = performance.now();
  for (const [i, r] of reports.entries()) {
    const at = new Date().toISOString();
    const id = randomUUID();
    await store.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('cases')
        .values({
          id,
          reference: `330106-19700101-${String(offset + i + 1).padStart(5, '0')}`,
          channel: r.channel,
          category_code: r.category,
          title: r.title,
          description: r.description,
          address: null,
          lon: r.location.lon,
          lat: r.location.lat,
          grid_code: '330106001001001',
          region_code: '330106001001',
          county_code: '330106000000',
          stage: 'reported',
          version: 1,
          anonymous: 1,
          idempotency_key: r.idempotency_key,
          dispatch_overridden: 0,
          return_count: 0,
          rework_count: 0,
          extension_count: 0,
          escalation_level: 0,
          notices_sent: 0,
          paused_ms: 0,
          clock_paused_ms: 0,
          stage_started_at: at,
          reported_at: at,
          updated_at: at,
        })
        .execute();
      await tx
        .insertInto('case_events')
        .values({
          case_id: id,
          version: 1,
          at,
          actor_user_id: null,
          actor_username: 'anonymous',
          actor_role: 'resident',
          action: 'report',
          from_stage: null,
          to_stage: 'reported',
          reason: null,
          payload: JSON.stringify({ channel: r.channel, category: r.category, photos: [] }),
        })
        .execute();
    });
  }
  return reports.length / ((performance.now() - started) / 1000);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Intake through HTTP (`POST /api/v1/cases` by `app.inject`, in process: validation, location,
 * category, duplicate check, numbering, case and event in one transaction) on the embedded store
 * with the demo province, beside the store's own ceiling for the same rows measured in this run.
 */
export async function benchIntake(options: BenchOptions): Promise<BenchRow[]> {
  const count = options.quick ? 2_000 : 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-intake-'));
  const store = openStore({ dataDir: join(dir, 'intake') });
  try {
    await migrateToLatest(store);
    await seedDemo({ store, clock: systemClock }, { password: 'demo' });
    const leaves = (await listCategories(store.db, '330106')).filter((c) => c.leaf).map((c) => c.code);
    const appDeps = makeAppDeps(store, systemClock);
    const app = await buildApp(appDeps, { logLevel: 'silent' });
    try {
      const post = async (r: Report) => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/cases', payload: r });
        if (res.statusCode !== 201) throw new Error(`intake answered ${res.statusCode}: ${res.body}`);
      };
      for (const r of makeReports(200, leaves, 7)) await post(r);
      await insertCeiling(store, makeReports(200, leaves, 8), 0);

      const reports = makeReports(count, leaves, 1);
      const half = Math.floor(count / 2);
      // The ceiling is measured before and after intake, so that drift of the disk counts evenly.
      const before = await insertCeiling(store, makeReports(half, leaves, 3), 200);
      const submit = async (batch: Report[], inFlight: number) => {
        const latencies: number[] = [];
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (next < batch.length) {
              const r = batch[next++]!;
              const t0 = performance.now();
              await post(r);
              latencies.push(performance.now() - t0);
            }
          }),
        );
        return { rate: batch.length / ((performance.now() - started) / 1000), latencies };
      };
      const { rate, latencies } = await submit(reports, CONCURRENCY);
      const alone = await submit(makeReports(Math.floor(count / 10), leaves, 4), 1);
      const crowd = await submit(makeReports(Math.floor(count / 2), leaves, 5), CROWD);
      const afterwards = await insertCeiling(store, makeReports(count - half, leaves, 2), 200 + half);
      const ceiling = count / (half / before + (count - half) / afterwards);
      latencies.sort((a, b) => a - b);
      const note = `${count} reports at random points of the demo box, random leaf categories, ${CONCURRENCY} in flight (reports in flight together share one commit; their count deltas folded every 500 reports, as in the server); target ≥ 60 % of the ceiling`;
      const steps = await benchSteps({ ...appDeps, app }, Math.floor(count / 10), rate);
      return [
        row(
          'intake.cases_per_second',
          rate,
          'cases/s',
          'higher',
          { name: 'plain inserts of a case and an event row per transaction (SQLite)', value: ceiling },
          note,
        ),
        row(
          'intake.p99_ms',
          percentile(latencies, 99),
          'ms',
          'lower',
          null,
          `median ${percentile(latencies, 50).toFixed(2)} ms`,
        ),
        row(
          'intake.16_in_flight_cases_per_second',
          crowd.rate,
          'cases/s',
          'higher',
          { name: 'plain inserts of a case and an event row per transaction (SQLite)', value: ceiling },
          `${crowd.latencies.length} reports, ${CROWD} in flight; p99 ${percentile(
            crowd.latencies.sort((a, b) => a - b),
            99,
          ).toFixed(2)} ms`,
        ),
        row(
          'intake.one_client_cases_per_second',
          alone.rate,
          'cases/s',
          'higher',
          { name: 'plain inserts of a case and an event row per transaction (SQLite)', value: ceiling },
          `${alone.latencies.length} reports one after another: nothing to share a commit with; p99 ${percentile(
            alone.latencies.sort((a, b) => a - b),
            99,
          ).toFixed(2)} ms`,
        ),
        ...steps,
      ];
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
