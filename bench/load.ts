import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { spawnServer, waitHealthy, type ServerProcess } from '../test/helpers/server.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

/**
 * The load test of issue 12: the real server (src/main.ts, its own process, the demo province and
 * its year of cases) driven over loopback by autocannon at a fixed rate with the staff's mix —
 * 70 % reads (worklists and cases), 20 % workflow steps, 10 % intake — and, in the same run, GET
 * /healthz at the same rate as the reference. bench/soak.ts runs the same mix for half an hour.
 */

export const KINDS = ['worklist', 'case', 'action', 'intake'] as const;
export type Kind = (typeof KINDS)[number];
/** Shares of the mix out of every 20 requests: 35 % + 35 % reads, 20 % actions, 10 % intake. */
const CYCLE: Record<Kind, number> = { worklist: 7, case: 7, action: 4, intake: 2 };
/** Requests each autocannon instance sends per second, all at once at its tick (see `drive`). */
const PER_SLOT = 5;
const CENTRE = 'county.center';
const URBAN_USER = 'dept.urban';
const URBAN = 'dept-330106-urban';
/** Urban-management leaf categories routed to 城管 alone (no co-handler), so one handler closes them. */
const CATEGORIES = ['BJ0301', 'BJ0302', 'BJ0303', 'BJ0401', 'BJ0402', 'BJ0403', 'BJ0501', 'BJ0502'];
/** The queues of the console's worklist pages (待办, 待立案, 超期, 待核查; a department's 临期). */
const QUEUES: Array<{ user: string; query: string }> = [
  { user: CENTRE, query: 'assigned_to=me' },
  { user: CENTRE, query: 'status=reported,verifying&sort=deadline' },
  { user: CENTRE, query: 'overdue=true' },
  { user: CENTRE, query: 'status=awaiting_verification,verified&sort=deadline' },
  { user: CENTRE, query: 'region=330106002000&status=dispatched,handling' },
  { user: URBAN_USER, query: 'assigned_to=me' },
  { user: URBAN_USER, query: 'status=handling&due_within=24' },
];
/** The next step of the closing chain from each stage, and who takes it. */
const NEXT: Record<string, { action: string; user: string; extra?: Record<string, unknown> }> = {
  reported: { action: 'register', user: CENTRE },
  registered: { action: 'dispatch', user: CENTRE },
  dispatched: { action: 'accept', user: URBAN_USER },
  handling: { action: 'feedback', user: URBAN_USER, extra: { evidence: ['已处置完毕，现场照片见附件'] } },
  awaiting_verification: { action: 'verify_pass', user: CENTRE },
  verified: { action: 'close', user: CENTRE },
};

export interface LoadServer {
  server: ServerProcess;
  url: string;
  pid: number;
  store: 'sqlite' | 'postgresql';
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` on a fresh data directory (and, for PostgreSQL, a fresh database created
 * next to `databaseUrl`'s), with `demoCases` cases of history. Rate limits are lifted: the whole
 * load comes from one address and two accounts, which production limits would (rightly) refuse.
 */
export async function startLoadServer(
  databaseUrl: string | undefined,
  demoCases: number,
): Promise<LoadServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shanzhi-load-'));
  let url = '';
  let dropDatabase = async () => {};
  if (databaseUrl) {
    const name = `shanzhi_load_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const own = new URL(databaseUrl);
    own.pathname = `/${name}`;
    url = own.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const server = await spawnServer({
    SHANZHI_DATA_DIR: dataDir,
    SHANZHI_DEMO: '1',
    SHANZHI_DEMO_CASES: String(demoCases),
    SHANZHI_RATE_LIMIT_PER_MINUTE: '100000000',
    SHANZHI_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
    DATABASE_URL: url,
  });
  const stop = async () => {
    if (server.process.exitCode === null) {
      server.process.kill('SIGTERM');
      await server.exited;
    }
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(server, 300_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    server,
    url: server.url,
    pid: server.process.pid!,
    store: databaseUrl ? 'postgresql' : 'sqlite',
    stop,
  };
}

interface Step {
  id: string;
  version: number;
  status: string;
}

type Listed = Step & { owner_department_id: string | null };

/** What the load knows of the server's cases: tokens, readable ids, and steps ready to be taken. */
export class Mix {
  readonly ids: string[] = [];
  readonly urbanIds: string[] = [];
  /** Cases whose next closing step nobody has sent yet; each case is here at most once. */
  readonly ready: Step[] = [];
  /** An action was due and no case was ready for a step (the request went out as a read instead). */
  starved = 0;
  /** Steps answered with something other than the next stage (their case leaves the chain). */
  dropped = 0;
  private n = 0;

  private constructor(
    readonly url: string,
    readonly tokens: Record<string, string>,
  ) {}

  static async prepare(url: string): Promise<Mix> {
    const tokens: Record<string, string> = {};
    for (const user of [CENTRE, URBAN_USER]) {
      const res = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user, password: 'demo' }),
      });
      if (!res.ok) throw new Error(`session of ${user}: ${res.status} ${await res.text()}`);
      tokens[user] = ((await res.json()) as { token: string }).token;
    }
    const mix = new Mix(url, tokens);
    // The demo's cases: ids the reads pick from, and the open cases of the categories the chain
    // can close (routed to 城管 alone) as steps ready to be taken.
    const open = Object.keys(NEXT).join(',');
    const lists: Array<[string, (c: Listed) => void]> = [
      ['', (c) => mix.ids.push(c.id)],
      [`owner_department=${URBAN}`, (c) => mix.urbanIds.push(c.id)],
      ...['BJ03', 'BJ04', 'BJ05'].map((category): [string, (c: Listed) => void] => [
        `category=${category}&status=${open}`,
        (c) => mix.ready.push({ id: c.id, version: c.version, status: c.status }),
      ]),
    ];
    for (const [query, take] of lists) {
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const res = await fetch(
          `${url}/api/v1/cases?${query}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { headers: { authorization: `Bearer ${tokens[CENTRE]}` } },
        );
        if (!res.ok) throw new Error(`worklist: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { items: Listed[]; next_cursor?: string | null };
        body.items.forEach(take);
        cursor = body.next_cursor ?? undefined;
        if (!cursor) break;
      }
    }
    if (mix.ids.length === 0) throw new Error('the demo database has no cases to read');
    return mix;
  }

  private pick<T>(xs: readonly T[]): T {
    this.n = (this.n * 1103515245 + 12345) % 2147483648;
    return xs[this.n % xs.length]!;
  }

  private headers(user: string, json = false): Record<string, string> {
    return {
      authorization: `Bearer ${this.tokens[user]}`,
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }

  /** One autocannon request of the kind: built anew before every send, the answer read back. */
  request(kind: Kind): autocannon.Request {
    const read = (): autocannon.Request => {
      const urban = this.urbanIds.length > 0 && this.pick([0, 1, 2]) === 0;
      const id = this.pick(urban ? this.urbanIds : this.ids);
      return {
        method: 'GET',
        path: `/api/v1/cases/${id}`,
        headers: this.headers(urban ? URBAN_USER : CENTRE),
      };
    };
    switch (kind) {
      case 'worklist':
        return {
          method: 'GET',
          setupRequest: (req) => {
            const q = this.pick(QUEUES);
            return { ...req, path: `/api/v1/cases?${q.query}`, headers: this.headers(q.user) };
          },
        };
      case 'case':
        return { method: 'GET', setupRequest: (req) => ({ ...req, ...read() }) };
      case 'intake':
        return {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: '/api/v1/cases',
            headers: this.headers(CENTRE, true),
            body: JSON.stringify({
              channel: 'hotline',
              category: this.pick(CATEGORIES),
              title: '市民来电反映市政设施问题',
              description: `负载测试：${this.pick(['路灯不亮', '井盖松动', '护栏损坏', '占道堆物'])}，请尽快处置`,
              location: {
                lon: 120.05 + (this.pick(RANGE) / 1000) * 0.15,
                lat: 30.2 + (this.pick(RANGE) / 1000) * 0.15,
              },
            }),
          }),
          onResponse: (status, body) => {
            if (status !== 201) return;
            const c = JSON.parse(body) as Step;
            this.ids.push(c.id);
            this.ready.push(c);
          },
        };
      case 'action':
        return {
          method: 'POST',
          setupRequest: (req, context) => {
            const i = this.ready.length > 0 ? this.pick(RANGE) % this.ready.length : -1;
            if (i < 0) {
              // Cannot happen while intake feeds six steps per case; counted so that it shows.
              this.starved++;
              (context as { step?: Step | null }).step = null;
              return { ...req, ...read(), method: 'GET' };
            }
            const step = this.ready[i]!;
            this.ready[i] = this.ready[this.ready.length - 1]!;
            this.ready.pop();
            const next = NEXT[step.status]!;
            (context as { step?: Step | null }).step = step;
            return {
              ...req,
              method: 'POST',
              path: `/api/v1/cases/${step.id}/actions`,
              headers: this.headers(next.user, true),
              body: JSON.stringify({ action: next.action, expected_version: step.version, ...next.extra }),
            };
          },
          onResponse: (status, body, context) => {
            const step = (context as { step?: Step | null }).step;
            if (!step) return;
            if (status !== 200) {
              this.dropped++;
              return;
            }
            const c = JSON.parse(body) as Step & { owner_department_id: string | null };
            if (c.owner_department_id === URBAN && step.status === 'registered') this.urbanIds.push(c.id);
            if (NEXT[c.status]) this.ready.push({ id: c.id, version: c.version, status: c.status });
          },
        };
    }
  }
}

const RANGE = Array.from({ length: 1000 }, (_, i) => i);

/** Latencies in ms and status counts of one kind over a run (or one window of a soak). */
export class KindStats {
  latencies: number[] = [];
  statuses = new Map<number, number>();
  errors = 0;

  record(status: number, ms: number): void {
    this.latencies.push(ms);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  count(test: (status: number) => boolean): number {
    let n = 0;
    for (const [s, c] of this.statuses) if (test(s)) n += c;
    return n;
  }

  summary(seconds: number): KindSummary {
    const sorted = Float64Array.from(this.latencies).sort();
    const at = (p: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : NaN;
    return {
      requests: sorted.length,
      rps: sorted.length / seconds,
      p50: at(0.5),
      p99: at(0.99),
      non2xx: this.count((s) => s < 200 || s >= 300),
      conflicts: this.count((s) => s === 409),
      server_errors: this.count((s) => s >= 500),
      errors: this.errors,
    };
  }
}

export interface KindSummary {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Every answer outside 2xx, 409 included (also counted apart in `conflicts`). */
  non2xx: number;
  conflicts: number;
  server_errors: number;
  /** Connection errors and timeouts: no answer at all. */
  errors: number;
}

export interface DriveOptions {
  rate: number;
  seconds: number;
  /** GET /healthz for every request instead of the mix: the same-run reference. */
  healthOnly?: boolean;
}

/**
 * Drives `rate` requests a second for `seconds`. autocannon's rate limit lets each connection
 * send its quota at once when its one-second tick comes round, so one instance at 500/s would
 * send bursts of 500. Instead, rate / 5 instances of 5 connections (one request a second each)
 * start 1 / (rate / 5) s apart: 5 requests every 10 ms at 500/s, the kinds taking the slots in
 * the proportions of CYCLE. Latency is taken from autocannon's own response timing, per kind.
 */
export async function drive(
  url: string,
  mix: Mix | null,
  options: DriveOptions,
  stats: Record<string, KindStats>,
): Promise<void> {
  const slots = Math.max(1, Math.round(options.rate / PER_SLOT));
  const pattern = KINDS.flatMap((k) => Array.from({ length: CYCLE[k] }, () => k));
  // Interleaved so that the kinds alternate through the second: w c w c … a i.
  const interleaved = pattern.map((_, i) => pattern[(i * 9) % pattern.length]!);
  const runs: Array<Promise<unknown>> = [];
  const start = performance.now();
  for (let s = 0; s < slots; s++) {
    const kind: Kind | 'health' =
      options.healthOnly || !mix ? 'health' : interleaved[s % interleaved.length]!;
    const into = (stats[kind] ??= new KindStats());
    const requests =
      kind === 'health' ? [{ method: 'GET' as const, path: '/healthz' }] : [mix!.request(kind)];
    const wait = start + (s * 1000) / slots - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    runs.push(
      new Promise((resolve, reject) => {
        const instance = autocannon(
          { url, connections: PER_SLOT, connectionRate: 1, duration: options.seconds, timeout: 10, requests },
          (error: unknown) => (error ? reject(error) : resolve(undefined)),
        );
        instance.on('response', (_client, status, _bytes, ms) => into.record(status, ms));
        instance.on('reqError', () => into.errors++);
      }),
    );
  }
  await Promise.all(runs);
}

/** Resident memory (kB) and open file descriptors of a process, from /proc. */
export function processFigures(pid: number): { rssKb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN),
    fds: readdirSync(`/proc/${pid}/fd`).length,
  };
}

export function load1(): number {
  return Number(loadavg()[0]!.toFixed(2));
}

export interface LoadReport {
  store: 'sqlite' | 'postgresql';
  rate: number;
  seconds: number;
  health: KindSummary;
  kinds: Record<Kind, KindSummary>;
  starved: number;
  dropped: number;
  loadBefore: number;
  loadAfter: number;
}

/** One load run on a fresh server: health at the rate, then the mix at the rate. */
export async function runLoad(
  databaseUrl: string | undefined,
  options: { rate: number; seconds: number; demoCases: number },
): Promise<LoadReport> {
  const started = await startLoadServer(databaseUrl, options.demoCases);
  try {
    const mix = await Mix.prepare(started.url);
    const loadBefore = load1();
    // A short warm-up (JIT, caches, the SQLite page cache), not measured.
    await drive(started.url, mix, { rate: options.rate, seconds: Math.min(5, options.seconds) }, {});
    const health: Record<string, KindStats> = {};
    await drive(started.url, null, { ...options, healthOnly: true }, health);
    const stats: Record<string, KindStats> = {};
    await drive(started.url, mix, options, stats);
    const kinds = Object.fromEntries(
      KINDS.map((k) => [k, (stats[k] ?? new KindStats()).summary(options.seconds)]),
    ) as Record<Kind, KindSummary>;
    return {
      store: started.store,
      rate: options.rate,
      seconds: options.seconds,
      health: health.health!.summary(options.seconds),
      kinds,
      starved: mix.starved,
      dropped: mix.dropped,
      loadBefore,
      loadAfter: load1(),
    };
  } finally {
    await started.stop();
  }
}

const TARGET_P99_MS = 100;

function rowsOf(r: LoadReport): BenchRow[] {
  const p = `load.${r.store}`;
  const at = `at ${r.rate} req/s for ${r.seconds} s, load average ${r.loadBefore} → ${r.loadAfter}`;
  const target = { name: `target p99 < ${TARGET_P99_MS} ms at 500 req/s`, value: TARGET_P99_MS };
  const rows: BenchRow[] = [
    row(
      `${p}.health_p99_ms`,
      r.health.p99,
      'ms',
      'lower',
      target,
      `GET /healthz alone ${at} (same-run reference); p50 ${r.health.p50} ms`,
    ),
  ];
  const total = KINDS.reduce((n, k) => n + r.kinds[k].requests, 0);
  rows.push(
    row(
      `${p}.mix_rps`,
      total / r.seconds,
      'req/s',
      'higher',
      { name: 'rate asked', value: r.rate },
      `the whole mix ${at}`,
    ),
  );
  for (const k of KINDS) {
    const s = r.kinds[k];
    const detail = `${s.requests} requests (${s.rps.toFixed(1)}/s), non-2xx ${s.non2xx} (409 ${s.conflicts}, 5xx ${s.server_errors}), no answer ${s.errors}`;
    rows.push(
      row(`${p}.${k}_p50_ms`, s.p50, 'ms', 'lower', { name: `${p}.health p50`, value: r.health.p50 }, detail),
    );
    rows.push(row(`${p}.${k}_p99_ms`, s.p99, 'ms', 'lower', target, `${detail}; ${at}`));
    rows.push(
      row(
        `${p}.${k}_non2xx`,
        s.non2xx - s.conflicts,
        'responses',
        'lower',
        null,
        `409s (races) not counted: ${s.conflicts}`,
      ),
    );
  }
  if (r.starved || r.dropped)
    rows[1]!.note += `; actions starved ${r.starved}, steps answered other than 200 ${r.dropped}`;
  return rows;
}

/** `npm run bench load`: the mix on the embedded store, and on PostgreSQL when DATABASE_URL is set. */
export async function benchLoad(options: BenchOptions): Promise<BenchRow[]> {
  const run = { rate: 500, seconds: options.quick ? 10 : 30, demoCases: options.quick ? 5_000 : 20_000 };
  const rows = rowsOf(await runLoad(undefined, run));
  if (options.databaseUrl) rows.push(...rowsOf(await runLoad(options.databaseUrl, run)));
  else rows[0]!.note += '; no DATABASE_URL: the PostgreSQL run is skipped';
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.table(
    await benchLoad({ quick: process.argv.includes('--quick'), databaseUrl: process.env.DATABASE_URL }),
  );
}
