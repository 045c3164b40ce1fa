import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { getCalendar } from '../src/calendar/get-calendar.ts';
import type { WorkflowDeps } from '../src/cases/act-on-case.ts';
import { sweepCases } from '../src/cases/sweep-cases.ts';
import { addDuration } from '../src/core/calendar/deadlines.ts';
import type { WorkCalendar } from '../src/core/calendar/work-calendar.ts';
import { fixedClock } from '../src/core/clock.ts';
import { DEFAULT_LIMITS, type StageLimits } from '../src/core/workflow/clocks.ts';
import { planSweep } from '../src/core/workflow/sweep.ts';
import { openStore } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { RulesCache } from '../src/responsibility/rules-cache.ts';
import { loadCounty } from '../test/helpers/regions.ts';
import { openBulk } from './bulk-load.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

const COUNTY = '330106000000';
/** The sweep instant: a Wednesday morning; the four weeks before it hold 春节 2026. */
const NOW = new Date('2026-03-04T11:00:00+08:00');
/**
 * The sweeper last ran this long before NOW (08:30, before the day's work began): the stages that
 * have crossed a 50/80/100 % threshold since are due, about 1 % of them.
 */
const SINCE_LAST_SWEEP_MS = 2.5 * 3_600_000;
/** Stages started up to this long before NOW (minute granularity). */
const SPREAD_MINUTES = 28 * 24 * 60;
/** Handling limits in work days, as responsibility lists set them. */
const HANDLING_DAYS = [5, 10, 15, 20, 30] as const;
const OVERDUE_MS = 86_400_000;
const ESCALATIONS = 1_000;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A deterministic xorshift generator: the same cases on every run. */
function makeRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

/** UUID-shaped and ascending, so the primary key is appended to rather than split. */
const caseId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

interface StageClock {
  limits: string;
  stage_deadline: string;
  next_check_at: string | null;
  notices_sent: number;
}

/**
 * The clock of a handling stage as a sweeper running until `lastSweep` left it: planSweep from no
 * notices at `lastSweep` is what any number of earlier sweeps add up to (the plan is idempotent).
 * Cached per (start minute, limit): a million stages share some 200,000 of them.
 */
function stageClocks(calendar: WorkCalendar, lastSweep: Date) {
  const limitsJson = new Map<number, string>();
  const limitsOf = (days: number) => {
    let json = limitsJson.get(days);
    if (!json) {
      const limits: StageLimits = { ...DEFAULT_LIMITS, handling: { amount: days, unit: 'work_days' } };
      json = JSON.stringify(limits);
      limitsJson.set(days, json);
    }
    return json;
  };
  const deadlines = new Map<string, number>();
  const deadlineOf = (start: number, days: number) => {
    const key = `${start}:${days}`;
    let deadline = deadlines.get(key);
    if (deadline === undefined) {
      deadline = addDuration(calendar, new Date(start), days, 'work_days').getTime();
      deadlines.set(key, deadline);
    }
    return deadline;
  };
  const clocks = new Map<string, StageClock>();
  return {
    /** The limits (in work days) a stage started at `start` may have without being overdue at NOW. */
    limitsNotOverdue(start: number): number[] {
      return HANDLING_DAYS.filter((d) => deadlineOf(start, d) + OVERDUE_MS > NOW.getTime());
    },
    deadlineOf,
    clockOf(start: number, days: number): StageClock {
      const key = `${start}:${days}`;
      let clock = clocks.get(key);
      if (!clock) {
        const deadline = deadlineOf(start, days);
        const plan = planSweep(calendar, {
          stage_started_at: new Date(start).toISOString(),
          stage_deadline: new Date(deadline).toISOString(),
          notices_sent: 0,
          escalation_level: 0,
          limit: { amount: days, unit: 'work_days' },
          now: lastSweep,
          overdueMs: OVERDUE_MS,
        });
        if (plan.escalate) throw new Error('sweep bench: a stage would escalate at the last sweep');
        clock = {
          limits: limitsOf(days),
          stage_deadline: new Date(deadline).toISOString(),
          next_check_at: plan.next_check_at,
          notices_sent: plan.notices_sent,
        };
        clocks.set(key, clock);
      }
      return clock;
    },
    limitsOf,
  };
}

/** A handling-stage case row in the column order of INSERT below. */
function caseRow(
  n: number,
  region: string,
  start: number,
  clock: StageClock,
  escalation: { notices_sent: number; next_check_at: string } | null,
): unknown[] {
  const started = new Date(start).toISOString();
  const reported = new Date(start - 3 * 3_600_000).toISOString();
  return [
    caseId(n),
    `330106-S-${String(n).padStart(8, '0')}`,
    'web',
    'SJ0102',
    '垃圾堆放',
    '小区门口垃圾堆放多日',
    region,
    COUNTY,
    'handling',
    5,
    0,
    `dept-330106-${n % 20}`,
    clock.limits,
    0,
    started,
    clock.stage_deadline,
    escalation ? escalation.next_check_at : clock.next_check_at,
    escalation ? escalation.notices_sent : clock.notices_sent,
    clock.stage_deadline,
    reported,
    reported,
    started,
    started,
    started,
  ];
}

const INSERT = `INSERT INTO cases (id, reference, channel, category_code, title, description,
    region_code, county_code, stage, version, anonymous, owner_department_id, limits, escalation_level,
    stage_started_at, stage_deadline, next_check_at, notices_sent, handling_deadline, reported_at,
    registered_at, dispatched_at, accepted_at, updated_at)
  VALUES (${Array.from({ length: 24 }, () => '?').join(', ')})`;

/**
 * The sweeper over 1,000,000 open handling stages (quick: 100,000) on the embedded store. The
 * stages started over the past four weeks under 5–30 work-day limits, their clocks as a sweeper
 * running until 08:30 left them; about 1 % have crossed a 50/80/100 % threshold since,
 * none is a day overdue. Rows: the indexed due query beside the same query by a full scan, one
 * sweep over the due stages (then a second, which must find nothing), and escalation of 1,000
 * overdue stages through the workflow, measured apart.
 */
export async function benchSweep(options: BenchOptions): Promise<BenchRow[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-sweep-'));
  const store = openStore({ dataDir: dir });
  try {
    await migrateToLatest(store);
    await loadCounty(store, COUNTY.slice(0, 6));
    const communities = (
      await store.db
        .selectFrom('regions')
        .select('code')
        .where('level', '=', 5)
        .where('code', 'like', `${COUNTY.slice(0, 6)}%`)
        .execute()
    ).map((r) => r.code);
    const { calendar } = await getCalendar(store.db, COUNTY);
    const clocks = stageClocks(calendar, new Date(NOW.getTime() - SINCE_LAST_SWEEP_MS));
    const random = makeRandom(20260304);

    const bulk = openBulk(dir);
    bulk.pragma('cache_size = -524288');
    const insert = bulk.prepare(INSERT);
    const loaded = await timed(async () => {
      const chunk = 50_000;
      for (let i = 0; i < total; i += chunk) {
        const rows: unknown[][] = [];
        for (let n = i; n < Math.min(total, i + chunk); n++) {
          // Oldest first: reported_at (in two indexes) grows with the insert order.
          const minutesAgo = Math.floor(SPREAD_MINUTES * (1 - n / total)) + 1;
          const start = NOW.getTime() - minutesAgo * 60_000;
          const allowed = clocks.limitsNotOverdue(start);
          const days = allowed[Math.floor(random() * allowed.length)] ?? 30;
          const region = communities[Math.floor(random() * communities.length)]!;
          rows.push(caseRow(n, region, start, clocks.clockOf(start, days), null));
        }
        bulk.transaction(() => {
          for (const r of rows) insert.run(r);
        })();
      }
    });
    bulk.pragma('wal_checkpoint(TRUNCATE)');

    const nowIso = NOW.toISOString();
    const dueQuery = (hint: string) =>
      sql<{ id: string }>`SELECT id, version, stage, county_code, limits, stage_started_at,
          stage_deadline, next_check_at, notices_sent, escalation_level
        FROM cases ${sql.raw(hint)} WHERE next_check_at <= ${nowIso} ORDER BY next_check_at`;
    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${dueQuery('')}`.execute(store.db);
    const planText = plan.rows.map((r) => r.detail).join('; ');
    if (!planText.includes('cases_next_check_idx')) {
      throw new Error(`sweep bench: the due query does not use cases_next_check_idx (${planText})`);
    }
    const due = (await dueQuery('').execute(store.db)).rows.length; // also warms the page cache
    const indexed: number[] = [];
    for (let i = 0; i < 7; i++) indexed.push((await timed(() => dueQuery('').execute(store.db))).ms);
    const scans: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await timed(() => dueQuery('NOT INDEXED').execute(store.db));
      if (t.value.rows.length !== due) throw new Error('sweep bench: the full scan found other stages');
      scans.push(t.ms);
    }

    const clock = fixedClock(NOW);
    const deps: WorkflowDeps = { store, clock, rules: new RulesCache(store.db, 0) };
    const first = await timed(() => sweepCases(deps, { overdueMs: OVERDUE_MS }));
    const second = await sweepCases(deps, { overdueMs: OVERDUE_MS });
    const written = await store.db
      .selectFrom('case_notices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (first.value.checked !== due || first.value.escalated !== 0 || first.value.skipped !== 0) {
      throw new Error(`sweep bench: the sweep found ${JSON.stringify(first.value)}, ${due} due`);
    }
    if (Number(written.n) !== first.value.notices || second.checked !== 0) {
      throw new Error(`sweep bench: ${written.n} notices written, second run ${JSON.stringify(second)}`);
    }

    // Escalation apart: stages under 5 work days whose deadline passed one to two days ago, their
    // 100 % notice sent (next_check_at = deadline + one day, as planSweep leaves it). Each goes up
    // one level, and its next check (deadline + two days) is still ahead.
    const overdue = bulk.transaction(() => {
      for (let k = 0; k < ESCALATIONS; k++) {
        const pick = () => {
          const start = NOW.getTime() - (4 * 24 * 60 + Math.floor(random() * 10 * 24 * 60)) * 60_000;
          return { start, deadline: clocks.deadlineOf(start, 5) };
        };
        let { start, deadline } = pick();
        while (deadline + OVERDUE_MS > NOW.getTime() || deadline + 2 * OVERDUE_MS <= NOW.getTime()) {
          ({ start, deadline } = pick());
        }
        const stage: StageClock = {
          limits: clocks.limitsOf(5),
          stage_deadline: new Date(deadline).toISOString(),
          next_check_at: null,
          notices_sent: 7,
        };
        const region = communities[Math.floor(random() * communities.length)]!;
        insert.run(
          caseRow(total + k, region, start, stage, {
            notices_sent: 7,
            next_check_at: new Date(deadline + OVERDUE_MS).toISOString(),
          }),
        );
      }
    });
    overdue();
    bulk.close();
    const escalation = await timed(() => sweepCases(deps, { overdueMs: OVERDUE_MS }));
    if (escalation.value.escalated !== ESCALATIONS || escalation.value.checked !== ESCALATIONS) {
      throw new Error(`sweep bench: escalation sweep found ${JSON.stringify(escalation.value)}`);
    }

    const size = `${total.toLocaleString('en')} open stages`;
    return [
      row(
        'sweep.find_due_ms',
        median(indexed),
        'ms',
        'lower',
        { name: 'the same query by a full scan (NOT INDEXED)', value: median(scans) },
        `${size}, ${due.toLocaleString('en')} due (${((100 * due) / total).toFixed(2)} %), all columns ` +
          `the sweeper reads; median of 7 (scan: of 3); load ${Math.round(loaded.ms)} ms`,
      ),
      row(
        'sweep.stages_per_second',
        (first.value.checked * 1000) / first.ms,
        'stages/s',
        'higher',
        null,
        `${size}: ${first.value.checked.toLocaleString('en')} due, ` +
          `${first.value.notices.toLocaleString('en')} notices written in ${Math.round(first.ms)} ms ` +
          `(one transaction per stage, synchronous=FULL); second run found ${second.checked}`,
      ),
      row(
        'sweep.escalations_per_second',
        (escalation.value.escalated * 1000) / escalation.ms,
        'cases/s',
        'higher',
        null,
        `${ESCALATIONS.toLocaleString('en')} stages a day overdue among the ${size}, each escalated ` +
          `through the workflow (event, indicator counts) in ${Math.round(escalation.ms)} ms`,
      ),
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchSweep({ quick: process.argv.includes('--quick'), databaseUrl: undefined }));
}
