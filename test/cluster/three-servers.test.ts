import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import sharp from 'sharp';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { COUNT_KEYS, zeroCounts, type Counts } from '../../src/core/indicators/indicators.ts';
import { chinaDay } from '../../src/core/indicators/period.ts';
import { openStore, type Store } from '../../src/db/database.ts';
import { readJson } from '../../src/db/dialect.ts';
import { keyringFromText } from '../../src/db/keyring.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps } from '../../src/http/deps.ts';
import { loadCountyFacts } from '../../src/indicators/case-facts.ts';
import { foldAllCountDeltas } from '../../src/indicators/count-deltas.ts';
import { ALL, keyedCounts } from '../../src/indicators/count-rows.ts';
import { setAccountEmail } from '../../src/mail/account-email.ts';
import { seedXihu } from '../helpers/actors.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { IN_GRID, SHANGBAO, type Json } from '../helpers/scenario.ts';
import { spawnServer, waitHealthy, type ServerProcess } from '../helpers/server.ts';
import { startSmtp, type TestSmtp } from '../mail/smtp.ts';

/**
 * Three server processes (src/main.ts) on one PostgreSQL database, as docs/deployment.md runs them
 * behind a load balancer: intake and steps spread over the three, their sweepers, count folders
 * and mail loops running at once, and a list published on one server routing on the others.
 */
const DATABASE_URL = process.env.DATABASE_URL;
const skip = DATABASE_URL
  ? false
  : 'PostgreSQL only: set DATABASE_URL, e.g. bash scripts/with-postgres.sh node scripts/run-tests.js test/cluster/three-servers.test.ts';

const XIHU = '330106000000';
/** The rules and grid caches look at their revision counter this often (src/http/deps.ts). */
const RECHECK_MS = 1000;
/** Reports made over HTTP, spread over the three servers, and reports backdated (already overdue). */
const LIVE_REPORTS = 30;
const OVERDUE_REPORTS = 18;

let admin: Store | undefined;
let store: Store;
let databaseName = '';
let root = '';
let smtp: TestSmtp;
const servers: ServerProcess[] = [];
let startedAt = 0;

/** The test's connection string with another database name. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

before(async () => {
  if (skip) return;
  startedAt = Date.now();
  root = mkdtempSync(join(tmpdir(), 'shanzhi-cluster-'));
  // Its own database, dropped at the end: the servers' search path is the default one.
  databaseName = `shanzhi_cluster_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  admin = openStore({ databaseUrl: DATABASE_URL, dataDir: join(root, 'admin') });
  await sql`CREATE DATABASE ${sql.id(databaseName)}`.execute(admin.db);
  const url = withDatabase(DATABASE_URL!, databaseName);

  // 西湖区 with its lists, the demo accounts and one grid, written by the use cases.
  // The same personal-data keys for every process (docs/deployment.md), the test's own included.
  const keys = {
    SHANZHI_PERSONAL_KEYS: `c1=${randomBytes(32).toString('base64')}`,
    SHANZHI_PERSONAL_INDEX_KEY: randomBytes(32).toString('base64'),
  };
  const keyring = keyringFromText(keys.SHANZHI_PERSONAL_KEYS, keys.SHANZHI_PERSONAL_INDEX_KEY);
  store = openStore({ databaseUrl: url, dataDir: join(root, 'setup'), keyring });
  await migrateToLatest(store);
  const clock = fixedClock(new Date());
  await seedXihu({ ...store, dataDir: join(root, 'setup') }, clock);
  await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
  await importGrids({ store, clock }, collection(gridFeature(SHANGBAO, 1, square(120.1, 30.2))));
  // Staff who hear of deadlines (the county centre) and of assignments (城管 and 北山街道).
  for (const username of ['county.center', 'dept.urban', 'township.handler'])
    await setAccountEmail({ store, clock }, username, `${username}@shanzhi.test`);

  smtp = await startSmtp();
  // One data directory each (each server locks its own), one attachments directory for all.
  const shared = join(root, 'attachments');
  mkdirSync(shared);
  const env = (name: string) => {
    const dataDir = join(root, name);
    mkdirSync(dataDir);
    symlinkSync(shared, join(dataDir, 'attachments'));
    return {
      DATABASE_URL: url,
      SHANZHI_DATA_DIR: dataDir,
      SHANZHI_DEMO: '0',
      SHANZHI_SWEEP_SECONDS: '0.5',
      SHANZHI_OVERDUE_HOURS: '1',
      SHANZHI_MAIL_SECONDS: '0.5',
      SMTP_URL: smtp.url,
      SHANZHI_PUBLIC_URL: 'http://shanzhi.test',
      SHANZHI_LOG_LEVEL: 'warn',
      ...keys,
    };
  };
  servers.push(...(await Promise.all(['a', 'b', 'c'].map((name) => spawnServer(env(name))))));
  await Promise.all(servers.map((s) => waitHealthy(s)));
});

after(async () => {
  if (skip) return;
  for (const s of servers) s.process.kill('SIGTERM');
  await Promise.all(servers.map((s) => s.exited));
  await smtp?.close();
  await store?.close();
  if (admin) {
    await sql`DROP DATABASE IF EXISTS ${sql.id(databaseName)} WITH (FORCE)`.execute(admin.db);
    await admin.close();
  }
  rmSync(root, { recursive: true, force: true });
});

async function call(server: ServerProcess, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json, text };
}

/** A session opened on one server is one row in the shared database: good on every server. */
async function signIn(server: ServerProcess, username: string): Promise<string> {
  const res = await call(server, 'POST', '/api/v1/session', undefined, { username, password: 'demo' });
  assert.equal(res.status, 200, res.text);
  return res.body.token as string;
}

const report = (n: number, photos: string[] = []) => ({
  channel: 'web',
  category: 'SJ0102',
  title: `垃圾堆放 ${n}`,
  description: '小区门口暴露垃圾多日',
  location: IN_GRID,
  photos,
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const liveIds: string[] = [];
const overdueIds: string[] = [];
let dispatchWins = 0;

test(
  'intake spread over three servers, and two conflicting steps on different servers: one wins, the other is a 409',
  { skip },
  async () => {
    const [a, b, c] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const resident = await signIn(a, 'resident');
    const centre = await signIn(b, 'county.center');

    // A photo uploaded on A is a file in the shared directory: B takes it into a report, C serves it.
    const png = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 140, b: 60 } },
    })
      .png()
      .toBuffer();
    const upload = await fetch(`${a.url}/api/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${resident}`, 'content-type': 'image/png' },
      body: png,
    });
    assert.equal(upload.status, 201);
    const photo = (await upload.json()) as Json;

    // Every report at once, round robin over the three servers.
    const reported = await Promise.all(
      Array.from({ length: LIVE_REPORTS }, (_, n) =>
        call(servers[n % 3]!, 'POST', '/api/v1/cases', resident, report(n, n === 1 ? [photo.url] : [])),
      ),
    );
    for (const r of reported) assert.equal(r.status, 201, r.text);
    liveIds.push(...reported.map((r) => r.body.id as string));
    assert.equal(new Set(reported.map((r) => r.body.reference)).size, LIVE_REPORTS, 'references are unique');
    const served = await fetch(`${c.url}${photo.url as string}`, {
      headers: { authorization: `Bearer ${centre}` },
    });
    assert.equal(served.status, 200);
    const again = await fetch(`${a.url}${photo.url as string}`, {
      headers: { authorization: `Bearer ${centre}` },
    });
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), Buffer.from(await again.arrayBuffer()));

    // Each case registered, then dispatched, twice at the same expected version on two different
    // servers at once: each time exactly one wins.
    for (const [action, version] of [
      ['register', 1],
      ['dispatch', 2],
    ] as const) {
      const races = await Promise.all(
        liveIds.map(async (id, n) => {
          const payload = { action, expected_version: version };
          const path = `/api/v1/cases/${id}/actions`;
          return Promise.all([
            call(servers[n % 3]!, 'POST', path, centre, payload),
            call(servers[(n + 1) % 3]!, 'POST', path, centre, payload),
          ]);
        }),
      );
      for (const pair of races) {
        const statuses = pair.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, 409], pair.map((r) => r.text).join('\n'));
        const loser = pair.find((r) => r.status === 409)!;
        assert.equal(loser.body.error.code, 'case.version_conflict');
        assert.ok(loser.body.error.message && loser.body.error.message_en);
      }
      const events = await store.db
        .selectFrom('case_events')
        .select(['case_id', 'version'])
        .where('case_id', 'in', liveIds)
        .where('action', '=', action)
        .execute();
      assert.equal(events.length, LIVE_REPORTS, `one ${action} event per case`);
      assert.ok(events.every((e) => e.version === version + 1));
    }
    dispatchWins = LIVE_REPORTS;
  },
);

test(
  'the three sweepers, count folders and mail loops at once: no case escalated twice, no notice enqueued or mailed twice, counts as recomputed',
  { skip },
  async () => {
    // Reports made by the use cases twenty days ago through an in-process app on the same database:
    // their deadlines are long past, so every sweeper has notices and escalations to make at once.
    const past = fixedClock(new Date(Date.now() - 20 * 86_400_000));
    const backdated = await buildApp(makeAppDeps(store, past, 0), { logLevel: 'silent' });
    try {
      const login = await backdated.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'resident', password: 'demo' },
      });
      const token = login.json().token as string;
      for (let n = 0; n < OVERDUE_REPORTS; n++) {
        const res = await backdated.inject({
          method: 'POST',
          url: '/api/v1/cases',
          headers: { authorization: `Bearer ${token}` },
          payload: report(1000 + n),
        });
        assert.equal(res.statusCode, 201, res.body);
        overdueIds.push(res.json().id as string);
      }
    } finally {
      await backdated.close();
    }

    // Each overdue case climbs to the city (level 1) and then the province (level 2): one overdue
    // hour each, long past. The sweepers run every half second on all three servers.
    await until('every overdue case at the province', async () => {
      const row = await store.db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id', 'in', overdueIds)
        .where('escalation_level', '=', 2)
        .executeTakeFirstOrThrow();
      return Number(row.n) === OVERDUE_REPORTS ? true : undefined;
    });
    // The mail loops have sent every mail the steps and sweeps enqueued.
    const outbox = await until('an empty outbox queue', async () => {
      const rows = await store.db
        .selectFrom('outbox')
        .select(['id', 'status', 'message_id', 'payload'])
        .execute();
      return rows.length > 0 && rows.every((r) => r.status !== 'pending') ? rows : undefined;
    });

    // No case escalated twice: one escalate event per level climbed, each to its own level.
    const escalations = await store.db
      .selectFrom('case_events')
      .select(['case_id', 'version'])
      .where('action', '=', 'escalate')
      .execute();
    const perCase = new Map<string, number>();
    for (const e of escalations) perCase.set(e.case_id, (perCase.get(e.case_id) ?? 0) + 1);
    assert.equal(escalations.length, 2 * OVERDUE_REPORTS);
    for (const id of overdueIds) assert.equal(perCase.get(id), 2, `case ${id} escalated twice per level`);
    // The events of each case form one unbroken version sequence (no step lost, none doubled).
    const versions = await store.db
      .selectFrom('case_events')
      .select(['case_id', 'version'])
      .where('case_id', 'in', [...overdueIds, ...liveIds])
      .orderBy('case_id')
      .orderBy('version')
      .execute();
    const byCase = new Map<string, number[]>();
    for (const v of versions) byCase.set(v.case_id, [...(byCase.get(v.case_id) ?? []), v.version]);
    const cases = await store.db
      .selectFrom('cases')
      .select(['id', 'version'])
      .where('id', 'in', [...overdueIds, ...liveIds])
      .execute();
    for (const row of cases)
      assert.deepEqual(
        byCase.get(row.id),
        Array.from({ length: row.version }, (_, i) => i + 1),
      );

    // Each deadline notice (50/80/100 %) recorded once per case and enqueued once per recipient.
    const notices = await store.db
      .selectFrom('case_notices')
      .select(['case_id', 'threshold'])
      .where('case_id', 'in', overdueIds)
      .execute();
    assert.equal(notices.length, 3 * OVERDUE_REPORTS);
    const payloads = outbox.map((r) => ({ ...r, mail: readJson<Json>(r.payload) }));
    const deadlineMails = payloads.filter((p) => p.mail.content.template === 'staff_deadline');
    const noticeKeys = deadlineMails.map(
      (p) => `${p.mail.to} ${p.mail.content.reference} ${p.mail.content.threshold}`,
    );
    assert.equal(new Set(noticeKeys).size, noticeKeys.length, 'no deadline notice enqueued twice');
    assert.equal(deadlineMails.length, 3 * OVERDUE_REPORTS, 'the county centre hears of each threshold once');
    // Each won dispatch told 城管 (lead) and 北山街道 (co-handler) once.
    const assignments = payloads.filter((p) => p.mail.content.template === 'staff_assignment');
    const assignmentKeys = assignments.map(
      (p) => `${p.mail.to} ${p.mail.content.reference} ${p.mail.content.role}`,
    );
    assert.equal(new Set(assignmentKeys).size, assignmentKeys.length, 'no assignment notice enqueued twice');
    assert.equal(assignments.length, 2 * dispatchWins);

    // Every outbox row went out once: one SMTP message per Message-ID, none without its row.
    assert.ok(outbox.every((r) => r.status === 'sent'));
    const received = new Map<string, number>();
    for (const m of smtp.messages)
      received.set(m.messageId ?? '', (received.get(m.messageId ?? '') ?? 0) + 1);
    assert.equal(smtp.messages.length, outbox.length, 'as many messages as outbox rows');
    for (const r of outbox) assert.equal(received.get(r.message_id), 1, `${r.message_id} sent once`);

    // The counts: every delta folded once by whichever server took it, equal to a recount of the cases.
    await foldAllCountDeltas(store);
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const recount = zeroCounts();
    const recounted = await loadCountyFacts(store.db, XIHU, from, to);
    for (const facts of recounted) {
      const { counts } = keyedCounts(facts);
      for (const k of COUNT_KEYS) recount[k] += counts[k];
    }
    assert.equal(recount.cases, LIVE_REPORTS + OVERDUE_REPORTS);
    // The base rows (one grid, one owner: no '*' roll-up) per key, against the recount per key.
    const keyOf = (r: { region_code: string; grid_code: string; department_id: string; day: string }) =>
      `${r.region_code} ${r.grid_code} ${r.department_id} ${r.day}`;
    const expected = new Map<string, Counts>();
    for (const facts of recounted) {
      const { key, counts } = keyedCounts(facts);
      const sum = expected.get(keyOf(key)) ?? zeroCounts();
      for (const k of COUNT_KEYS) sum[k] += counts[k];
      expected.set(keyOf(key), sum);
    }
    const folded = await store.db
      .selectFrom('case_daily_counts')
      .selectAll()
      .where('county_code', '=', XIHU)
      .where('span', '=', 'd')
      .where('grid_code', '!=', ALL)
      .where('department_id', '!=', ALL)
      .execute();
    const stored = new Map<string, Counts>();
    for (const row of folded) {
      const counts = zeroCounts();
      for (const k of COUNT_KEYS) counts[k] = Number(row[k]);
      if (COUNT_KEYS.some((k) => counts[k] !== 0)) stored.set(keyOf({ ...row, day: row.start_day }), counts);
    }
    assert.deepEqual(stored, expected, 'the folded daily rows equal a recount of the cases');
    const token = await signIn(servers[2]!, 'county.center');
    const shown = await call(
      servers[2]!,
      'GET',
      `/api/v1/indicators?region=330106&from=${chinaDay(from)}&to=${chinaDay(to)}&min_sample=1`,
      token,
    );
    assert.equal(shown.status, 200, shown.text);
    assert.deepEqual(shown.body.counts, recount, 'and so do the indicators a server shows');
  },
);

test(
  'a category added, a list published and the category renamed on server A route on B and C within the caches’ one-second recheck',
  { skip },
  async () => {
    const [a, b, c] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const centre = await signIn(a, 'county.center');
    const pause = () => new Promise((r) => setTimeout(r, RECHECK_MS + 100));
    // A 西湖区 subcategory of 市容环境, added on A: every server knows it after one recheck.
    const added = await call(a, 'POST', '/api/v1/categories', centre, {
      region: '330106',
      parent_code: 'SJ01',
      name: '集群测试分类',
    });
    assert.equal(added.status, 201, added.text);
    const code = added.body.code as string;
    // 西湖区's own list (version 1) overrides the province's for 物业管理纠纷 (xh-property).
    const draft = await call(a, 'POST', '/api/v1/responsibility/lists', centre, { region: '330106' });
    assert.equal(draft.status, 201, draft.text);
    const id = draft.body.id as string;
    const current = await call(a, 'GET', `/api/v1/responsibility/lists/${id}`);
    const property = (current.body.entries as Json[]).find((e) => e.id === 'xh-property')!;
    const resolveProperty = `/api/v1/responsibility/resolve?category=${property.category_code as string}&region=330106`;
    const resolveNew = `/api/v1/responsibility/resolve?category=${code}&region=330106`;
    await pause();
    for (const s of servers) {
      const before = await call(s, 'GET', resolveProperty);
      assert.equal(before.status, 200, before.text);
      assert.deepEqual([before.body.list.region_code, before.body.list.version], [XIHU, 1]);
      const unlisted = await call(s, 'GET', resolveNew);
      assert.notDeepEqual([unlisted.body.list?.region_code, unlisted.body.list?.version], [XIHU, 2]);
      assert.equal(unlisted.body.category?.name ?? '集群测试分类', '集群测试分类', unlisted.text);
    }
    // Version 2: the override gone (the province's list routes 物业管理纠纷 again), the new
    // category owned by 城管 as the override's entry was.
    const saved = await call(a, 'PUT', `/api/v1/responsibility/lists/${id}/content`, centre, {
      entries: [
        ...(current.body.entries as Json[]).filter((e) => e.id !== 'xh-property'),
        { ...property, id: 'xh-cluster', category_code: code },
      ],
      township_duties: current.body.township_duties,
    });
    assert.equal(saved.status, 200, saved.text);
    const published = await call(a, 'POST', `/api/v1/responsibility/lists/${id}/publish`, centre);
    assert.equal(published.status, 200, published.text);
    const publishedAt = Date.now();
    // How soon B and C route by the new version (reported, not asserted: speed is the bench's).
    const seen = await Promise.all(
      [b, c].map((s) =>
        until('the new list on another server', async () => {
          const r = await call(s, 'GET', resolveNew);
          return r.body.list?.version === 2 ? Date.now() - publishedAt : undefined;
        }),
      ),
    );
    // Whatever the timing, a request one recheck period after the publish sees it, on every server.
    await pause();
    for (const s of servers) {
      const owned = await call(s, 'GET', resolveNew);
      assert.equal(owned.status, 200, owned.text);
      assert.deepEqual([owned.body.list.region_code, owned.body.list.version], [XIHU, 2]);
      assert.equal(owned.body.category.name, '集群测试分类');
      const province = await call(s, 'GET', resolveProperty);
      assert.equal(province.body.list.region_code, '330000000000', province.text);
    }

    // A rename on A changes no count of categories: the taxonomy moves the rules' revision.
    const renamed = await call(a, 'PATCH', `/api/v1/categories/${code}`, centre, {
      region: '330106',
      name: '集群改名分类',
    });
    assert.equal(renamed.status, 200, renamed.text);
    await pause();
    for (const s of servers)
      assert.equal((await call(s, 'GET', resolveNew)).body.category.name, '集群改名分类');
    console.log(
      `cluster: list v2 routed on B after ${seen[0]} ms, on C after ${seen[1]} ms; file ${Date.now() - startedAt} ms`,
    );
  },
);
