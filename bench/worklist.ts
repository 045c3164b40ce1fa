import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql, type Insertable } from 'kysely';
import { listCases } from '../src/cases/list-cases.ts';
import type { CaseFilters } from '../src/cases/case-list-filters.ts';
import type { Actor } from '../src/core/access/roles.ts';
import { fixedClock } from '../src/core/clock.ts';
import { openStore, type Store } from '../src/db/database.ts';
import { rowsPerInsert } from '../src/db/dialect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { CaseTable, CaseTaskTable } from '../src/db/schema-cases.ts';
import { syntheticCases, type CasePlace } from '../test/helpers/case-facts.ts';
import { loadCounty } from '../test/helpers/regions.ts';
import { insertPlainRows, openBulk } from './bulk-load.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

const COUNTY = '330106000000';
const NOW = '2026-06-30T02:00:00.000Z';
const DEPARTMENTS = Array.from({ length: 20 }, (_, i) => `dept-330106-${i}`);
const HOUR = 3_600_000;

/** Complaint phrases of a county's hotline, combined so that words have realistic selectivity. */
const PLACES = [
  '小区门口',
  '东门',
  '菜市场旁',
  '学校附近',
  '公交站',
  '地下车库',
  '河道边',
  '十字路口',
  '楼道',
  '公园',
];
const PROBLEMS = [
  '垃圾堆放未清运',
  '夜间施工噪音扰民',
  '路灯不亮',
  '井盖缺失',
  '占道经营',
  '违章停车堵塞消防通道',
  '污水外溢',
  '电动车楼道充电',
  '非法小广告',
  '绿化带被毁',
  '共享单车乱停放',
  '餐饮油烟扰民',
  '道路破损坑洼',
  '燃气味道明显',
  '广告牌松动',
];
const DETAILS = [
  '已持续多日',
  '影响居民出行',
  '存在安全隐患',
  '多次反映未解决',
  '晚上十点后仍在继续',
  '老人小孩经过很危险',
];

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Titles, descriptions and running clocks for the synthetic cases (which carry neither). */
function dress(rows: Array<Insertable<CaseTable>>, seed: number): void {
  let n = seed;
  const next = () => (n = (n * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const now = Date.parse(NOW);
  for (const r of rows) {
    const problem = pick(PROBLEMS);
    r.title = `${pick(PLACES)}${problem}`;
    r.description = `${pick(PLACES)}附近${problem}，${pick(DETAILS)}，${pick(DETAILS)}`;
    // Open cases run a stage clock: most due in the coming days, some already past it. Every row
    // names the column (null where no clock runs): the SQLite bulk insert takes the first row's columns.
    r.stage_deadline = null;
    if (
      ['reported', 'registered', 'dispatched', 'handling', 'awaiting_verification'].includes(String(r.stage))
    ) {
      const started = now - next() * 72 * HOUR;
      r.stage_started_at = new Date(started).toISOString();
      r.stage_deadline = new Date(started + (4 + next() * 140) * HOUR).toISOString();
    }
  }
}

/**
 * Departments' tasks as dispatch creates them: the lead's for every dispatched case, a
 * co-handler's for one in five, a whistle waiting for report-in for one in twenty open ones.
 */
function tasksOf(rows: Array<Insertable<CaseTable>>): Array<Insertable<CaseTaskTable>> {
  const out: Array<Insertable<CaseTaskTable>> = [];
  rows.forEach((r, n) => {
    const lead = r.owner_department_id;
    if (!lead) return;
    const open = ['dispatched', 'handling'].includes(String(r.stage));
    const base = {
      case_id: r.id,
      report_in_deadline: null,
      deadline: r.handling_deadline ?? null,
      reported_in_at: null,
      feedback: null,
      created_at: String(r.dispatched_at),
    };
    out.push({
      ...base,
      department_id: lead,
      role: 'lead',
      status: open ? 'open' : 'done',
      done_at: open ? null : String(r.feedback_at ?? r.dispatched_at),
    });
    const other = DEPARTMENTS[(DEPARTMENTS.indexOf(lead) + 1 + (n % 7)) % DEPARTMENTS.length]!;
    if (n % 5 === 0)
      out.push({
        ...base,
        department_id: other,
        role: 'co',
        status: open ? 'open' : 'done',
        done_at: open ? null : String(r.feedback_at ?? r.dispatched_at),
      });
    else if (n % 20 === 1 && open)
      out.push({
        ...base,
        department_id: other,
        role: 'summoned',
        status: 'awaiting_report_in',
        done_at: null,
        report_in_deadline: String(r.dispatched_at),
      });
  });
  return out;
}

interface Query {
  name: string;
  actor: Actor;
  filters: (i: number) => CaseFilters;
  /** The statement that hides this query's index from the planner, and the one that restores it. */
  hide: (store: Store) => Promise<() => Promise<void>>;
}

const centre: Actor = {
  user_id: 'bench-centre',
  username: 'bench.centre',
  roles: ['county_centre'],
  scope: { code: COUNTY, level: 'county' },
  department_id: null,
};
const handler = (i: number): Actor => ({
  user_id: `bench-dept-${i}`,
  username: `bench.dept.${i}`,
  roles: ['department_handler'],
  scope: { code: COUNTY, level: 'county' },
  department_id: DEPARTMENTS[i % DEPARTMENTS.length]!,
});

/** Drops an index for the baseline (inside nothing: the store's own DDL) and gives back its re-creation. */
function dropping(name: string, create: string) {
  return async (store: Store) => {
    await sql`DROP INDEX ${sql.id(name)}`.execute(store.db);
    return async () => {
      await sql.raw(create).execute(store.db);
      if (store.traits.name === 'postgres') await sql`ANALYZE cases`.execute(store.db);
    };
  };
}

export async function load(store: Store, dir: string, total: number): Promise<number> {
  const started = performance.now();
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
  const chunk = 50_000;
  const bulk = store.traits.name === 'sqlite' ? openBulk(dir) : null;
  if (store.traits.name === 'postgres') await sql`DROP INDEX cases_text_trgm_idx`.execute(store.db);
  for (let i = 0; i < total; i += chunk) {
    const rows = syntheticCases({
      count: Math.min(chunk, total - i),
      seed: i + 1,
      places,
      departments: DEPARTMENTS,
      from: '2025-06-30T16:00:00Z',
      to: '2026-06-29T16:00:00Z',
    });
    dress(rows, i + 7);
    const tasks = tasksOf(rows);
    if (bulk) {
      insertPlainRows(bulk, 'cases', rows);
      insertPlainRows(bulk, 'case_tasks', tasks);
    } else {
      for (const [table, all] of [
        ['cases', rows],
        ['case_tasks', tasks],
      ] as const) {
        const per = rowsPerInsert(store.traits, Object.keys(all[0]!).length);
        for (let j = 0; j < all.length; j += per) {
          await store.db
            .insertInto(table)
            .values(all.slice(j, j + per) as never)
            .execute();
        }
      }
    }
  }
  bulk?.close();
  if (store.traits.name === 'postgres') {
    await sql.raw(PG_TRGM).execute(store.db);
    // As autovacuum would leave the tables after a load: statistics, and the visibility map
    // that lets an index-only scan skip the table.
    await sql`VACUUM ANALYZE`.execute(store.db);
  } else {
    await sql`ANALYZE`.execute(store.db);
  }
  return performance.now() - started;
}

const PG_TRGM = `CREATE INDEX cases_text_trgm_idx ON cases USING gin ((title || ' ' || description) public.gin_trgm_ops)`;

export function queries(traits: Store['traits']): Query[] {
  const words = ['施工噪音', '消防通道', '违章停车', '餐饮油烟', '井盖缺失', '共享单车'];
  // SQLite's baseline for text is a LIKE scan (measure()); the trigram table itself stays.
  const text: Query['hide'] =
    traits.name === 'postgres' ? dropping('cases_text_trgm_idx', PG_TRGM) : async () => async () => undefined;
  return [
    {
      name: 'my_queue',
      actor: handler(0),
      filters: () => ({ assigned_to: 'me', limit: 50 }),
      hide: dropping(
        'cases_owner_idx',
        'CREATE INDEX cases_owner_idx ON cases (owner_department_id, stage, reported_at, id, region_code, reporter_user_id)',
      ),
    },
    {
      name: 'overdue',
      actor: centre,
      filters: () => ({ overdue: true, sort: 'deadline', limit: 50 }),
      hide: dropping(
        'cases_deadline_idx',
        'CREATE INDEX cases_deadline_idx ON cases (stage_deadline, stage, region_code, reporter_user_id)',
      ),
    },
    {
      name: 'text_search',
      actor: centre,
      filters: (i) => ({ q: words[i % words.length]!, limit: 50 }),
      hide: text,
    },
  ];
}

export async function measure(store: Store, q: Query, runs: number, likeBaseline = false): Promise<number[]> {
  const deps = { db: store.db, traits: store.traits, keyring: store.keyring, clock: fixedClock(NOW) };
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const filters = q.filters(i);
    const started = performance.now();
    if (likeBaseline && filters.q) {
      // SQLite's baseline for text: the same words as LIKE '%…%' over title and description.
      const pattern = `%${filters.q}%`;
      await store.db
        .selectFrom('cases')
        .select(['id', 'reference', 'title'])
        .where((eb) => eb.or([eb('title', 'like', pattern), eb('description', 'like', pattern)]))
        .orderBy('reported_at', 'desc')
        .limit(50)
        .execute();
      await store.db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) => eb.or([eb('title', 'like', pattern), eb('description', 'like', pattern)]))
        .executeTakeFirst();
    } else {
      await listCases(deps, q.actor, filters);
    }
    if (i >= 3) times.push(performance.now() - started); // the first runs warm the caches
  }
  return times;
}

async function benchStore(store: Store, dir: string, total: number, runs: number, label: string) {
  await migrateToLatest(store);
  const loadMs = await load(store, dir, total);
  const out: BenchRow[] = [];
  for (const q of queries(store.traits)) {
    const indexed = percentile(await measure(store, q, runs), 0.95);
    const restore = await q.hide(store);
    const baselineRuns = Math.max(5, Math.floor(runs / 10));
    const bare = percentile(
      await measure(store, q, baselineRuns, q.name === 'text_search' && store.traits.name === 'sqlite'),
      0.95,
    );
    await restore();
    out.push(
      row(
        `worklist.${q.name}_p95_${label}`,
        indexed,
        'ms',
        'lower',
        { name: 'the same query without its index', value: bare },
        `${total.toLocaleString('en')} cases, p95 of ${runs} (baseline of ${baselineRuns}), a page of 50 and its total; ` +
          `target < 50 ms; load ${Math.round(loadMs / 1000)} s`,
      ),
    );
  }
  return out;
}

/**
 * The worklist queries staff run all day — a department's queue, the county's overdue cases
 * (soonest deadline first), text search of titles and descriptions — over 1,000,000 cases of one
 * county (quick: 100,000), through listCases (the page and its total, as the API answers), each
 * beside the same query with its index dropped, on SQLite and, with DATABASE_URL, PostgreSQL.
 */
export async function benchWorklist(options: BenchOptions): Promise<BenchRow[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const runs = options.quick ? 50 : 200;
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-worklist-'));
  const sqlite = openStore({ dataDir: dir });
  try {
    rows.push(...(await benchStore(sqlite, dir, total, runs, 'sqlite')));
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (!options.databaseUrl) return rows;
  const schema = `bench_worklist_${process.pid}`;
  const admin = openStore({ databaseUrl: options.databaseUrl, dataDir: dir });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  const pg = openStore({ databaseUrl: options.databaseUrl, dataDir: dir, searchPath: schema });
  try {
    rows.push(...(await benchStore(pg, dir, total, runs, 'postgres')));
  } finally {
    await pg.close();
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
    await admin.close();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(
    await benchWorklist({ quick: process.argv.includes('--quick'), databaseUrl: process.env.DATABASE_URL }),
  );
}
