import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { fixedClock } from '../src/core/clock.ts';
import { dateWindow } from '../src/core/open311/filters.ts';
import { openStore, SQLITE_FILE } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedDemoOrganisation } from '../src/demo/demo-organisation.ts';
import { buildApp } from '../src/http/app.ts';
import { makeAppDeps } from '../src/http/deps.ts';
import { requestsQuery } from '../src/open311/request-view.ts';
import { seedBaseTaxonomy } from '../src/taxonomy/seed-categories.ts';
import { seededRandom, syntheticCases, type CasePlace } from '../test/helpers/case-facts.ts';
import { loadCounty } from '../test/helpers/regions.ts';
import { reportEventRow } from '../src/cases/case-rows.ts';
import { ANONYMOUS_ACTOR } from '../src/core/workflow/intake.ts';
import { insertPlainRows, openBulk } from './bulk-load.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

const COUNTY = '330106000000';
const NOW = '2026-03-02T01:00:00Z';
const RUNS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * `GET /open311/v2/requests.json` with its defaults (the last 90 days, at most 1,000 requests,
 * newest first) over 100,000 cases of 西湖区 reported through the year before (quick: 10,000), on
 * the embedded store, by `app.inject`. Beside it, measured in the same run on the same file: the
 * same SQL (the query Kysely compiles for it, with the same joins, conditions and limit) run by
 * better-sqlite3 directly and its raw rows serialised with JSON.stringify: the store's own floor
 * for these rows, without mapping to the spec's fields, HTTP or the key-free checks.
 */
export async function benchOpen311(options: BenchOptions): Promise<BenchRow[]> {
  const total = options.quick ? 10_000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-open311-'));
  const store = openStore({ dataDir: dir });
  const clock = fixedClock(NOW);
  try {
    await migrateToLatest(store);
    await loadCounty(store, COUNTY.slice(0, 6));
    await seedBaseTaxonomy({ store, clock }, '33');
    const departments = (await seedDemoOrganisation({ db: store.db, clock }, COUNTY.slice(0, 6))).map(
      (d) => d.id,
    );
    const leaves = await store.db
      .selectFrom('categories as c')
      .select('c.code')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('categories as k').select('k.code').whereRef('k.parent_code', '=', 'c.code'))),
      )
      .execute();
    const communities = await store.db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 5)
      .where('code', 'like', `${COUNTY.slice(0, 6)}%`)
      .execute();
    const places: CasePlace[] = communities.map((c) => ({
      county_code: COUNTY,
      region_code: c.code,
      grid_code: null,
    }));

    const bulk = openBulk(dir);
    const random = seededRandom(311);
    const chunk = 50_000;
    for (let i = 0; i < total; i += chunk) {
      const rows = syntheticCases({
        count: Math.min(chunk, total - i),
        seed: i + 1,
        places,
        departments,
        from: '2025-03-02T01:00:00Z',
        to: NOW,
        idPrefix: 'o311',
      }).map((r) => ({
        ...r,
        channel: 'open311',
        category_code: leaves[Math.floor(random() * leaves.length)]!.code,
        description: '基准测试：路面坑洼，影响通行，请尽快处理。',
        address: '西湖区文三路 100 号',
        lon: 120.05 + random() * 0.15,
        lat: 30.2 + random() * 0.15,
      }));
      insertPlainRows(bulk, 'cases', rows);
      insertPlainRows(
        bulk,
        'case_events',
        rows.map((r) =>
          reportEventRow(r.id, r.reported_at, ANONYMOUS_ACTOR, {
            channel: 'open311',
            category: r.category_code,
            photos: random() < 0.5 ? [`https://photos.example.com/${r.id}.jpg`] : [],
          }),
        ),
      );
    }
    bulk.close();

    const app = await buildApp(makeAppDeps(store, clock), { logLevel: 'silent' });
    const raw = new BetterSqlite3(join(dir, SQLITE_FILE), { readonly: true });
    try {
      const { from, to } = dateWindow(undefined, undefined, clock.now(), 90);
      const compiled = requestsQuery(store.db)
        .where('c.reported_at', '>=', from.toISOString())
        .where('c.reported_at', '<=', to.toISOString())
        .limit(1000)
        .orderBy('c.reported_at', 'desc')
        .orderBy('c.reference', 'desc')
        .compile();
      const plain = raw.prepare(compiled.sql);
      const baseline = () => JSON.stringify(plain.all(...compiled.parameters));
      const served = async () => {
        const res = await app.inject({ url: '/open311/v2/requests.json' });
        if (res.statusCode !== 200)
          throw new Error(`GET requests.json answered ${res.statusCode}: ${res.body}`);
        return res.body;
      };

      const ours = JSON.parse(await served()) as Array<{ service_request_id: string }>;
      const floor = JSON.parse(baseline()) as Array<{ reference: string }>;
      if (
        ours.length !== 1000 ||
        ours.map((r) => r.service_request_id).join() !== floor.map((r) => r.reference).join()
      ) {
        throw new Error(`open311: ${ours.length} requests, not the 1,000 rows of the plain query`);
      }
      const timesOurs: number[] = [];
      const timesFloor: number[] = [];
      // Interleaved, so that drift of the machine counts for both alike.
      for (let i = 0; i < RUNS; i++) {
        let t0 = performance.now();
        await served();
        timesOurs.push(performance.now() - t0);
        t0 = performance.now();
        baseline();
        timesFloor.push(performance.now() - t0);
      }
      const xmlTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const res = await app.inject({ url: '/open311/v2/requests.xml' });
        if (res.statusCode !== 200) throw new Error(`GET requests.xml answered ${res.statusCode}`);
        xmlTimes.push(performance.now() - t0);
      }
      const size = `${total.toLocaleString('en')} cases over a year, 1,000 answered (the last 90 days, newest first)`;
      return [
        row(
          'open311.requests_json_ms',
          median(timesOurs),
          'ms',
          'lower',
          {
            name: 'the same SQL by better-sqlite3, raw rows JSON.stringify-ed (SQLite)',
            value: median(timesFloor),
          },
          `${size}; median of ${RUNS}, by app.inject`,
        ),
        row('open311.requests_xml_ms', median(xmlTimes), 'ms', 'lower', null, `${size}; median of ${RUNS}`),
      ];
    } finally {
      raw.close();
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchOpen311({ quick: process.argv.includes('--quick'), databaseUrl: undefined }));
}
