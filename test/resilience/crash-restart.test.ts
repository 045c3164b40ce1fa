import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { verifyAudit } from '../../src/audit/verify-audit.ts';
import { fixedClock, systemClock } from '../../src/core/clock.ts';
import { sumCounts } from '../../src/core/indicators/indicators.ts';
import { chinaDay } from '../../src/core/indicators/period.ts';
import { readJson } from '../../src/db/dialect.ts';
import { loadCaseFacts } from '../../src/indicators/case-facts.ts';
import { getIndicators } from '../../src/indicators/get-indicators.ts';
import type { OutboxPayload } from '../../src/mail/enqueue.ts';
import {
  call,
  killHard,
  makeServerStore,
  NOTIFIED,
  signIn,
  startServer,
  stopServer,
  type ServerStore,
} from '../helpers/crash.ts';
import type { ServerProcess } from '../helpers/server.ts';
import { makeDelivery, startSmtp, type TestSmtp } from '../mail/smtp.ts';

// Issue 12 point 5: the real server (src/main.ts, a child process) takes intake and workflow steps
// from several clients at full speed and is killed with SIGKILL at a random moment, then started
// again on the same data directory (or the same PostgreSQL schema); state accumulates across the
// rounds. After every restart, every acknowledged (2xx) case and step is there exactly once with
// its event, each case's version equals its events, the counts equal a recomputation from the
// cases and no count delta is left unfolded. At the end every acknowledged intake retried with its
// key answers the original case, the hash chains verify, and the outbox has sent every mail it
// holds, each row exactly its own Message-ID; a mail sent again after a crash (sent, not yet
// marked) carries the same Message-ID, and the copies are counted and bounded (docs/resilience.md).
// `npm test` runs 20 rounds per store (SHANZHI_CRASH_ROUNDS), `npm run crash` 200.

const ROUNDS = Number(process.env.SHANZHI_CRASH_ROUNDS ?? 20);
const CLIENTS = 4;
/** deliverOutbox's markEvery: at most this many mails of a round in flight go out twice after a kill. */
const MARK_EVERY = 20;

interface Intake {
  key: string;
  id: string;
  reference: string;
}
interface Step {
  case_id: string;
  action: string;
  version: number;
}

let setup: ServerStore;
let smtp: TestSmtp;
const intakes = new Map<string, Intake>();
/** Keys whose POST got no answer (the server died): retried after the restart. */
const inDoubt = new Set<string>();
const steps: Step[] = [];
/** Cases that have had all the steps the clients take. */
const finished = new Set<string>();
const errors: string[] = [];

before(async () => {
  setup = await makeServerStore();
  smtp = await startSmtp();
});
after(async () => {
  await smtp?.close();
  await setup?.store.close();
});

/** What a case in each stage gets next from the clients, and from whom. */
const NEXT: Record<string, { action: string; as: 'county' | 'urban' } | undefined> = {
  reported: { action: 'register', as: 'county' },
  registered: { action: 'dispatch', as: 'county' },
  dispatched: { action: 'accept', as: 'urban' },
};

function intakeBody(i: number) {
  return {
    channel: 'web',
    category: 'SJ0102',
    title: `垃圾堆放 ${i}`,
    description: '小区门口暴露垃圾多日',
    // Inside the one grid of 上保社区 (120.10–120.11, 30.20–30.21).
    location: { lon: 120.1005 + Math.random() * 0.009, lat: 30.2005 + Math.random() * 0.009 },
  };
}

async function intake(base: string, token: string, key: string) {
  const res = await call(base, 'POST', '/api/v1/cases', {
    token,
    body: intakeBody(intakes.size),
    headers: { 'idempotency-key': key },
  });
  if (res.status !== 201 && res.status !== 200) {
    errors.push(`intake ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    return undefined;
  }
  const got = { key, id: res.body.id as string, reference: res.body.reference as string };
  const earlier = intakes.get(key);
  if (earlier && (earlier.id !== got.id || earlier.reference !== got.reference))
    errors.push(
      `retry of ${key} answered ${got.id} ${got.reference}, first ${earlier.id} ${earlier.reference}`,
    );
  intakes.set(key, earlier ?? got);
  return got;
}

/** One client at full speed until the server dies: intake, or the next step of a known case. */
async function client(base: string, tokens: Record<string, string>, dead: () => boolean) {
  for (;;) {
    const open = [...intakes.values()].filter((c) => !finished.has(c.id));
    let key: string | undefined;
    try {
      if (open.length < 4 || Math.random() < 0.4) {
        key = randomUUID();
        inDoubt.add(key);
        await intake(base, tokens.resident!, key);
        inDoubt.delete(key);
        continue;
      }
      const target = open[Math.floor(Math.random() * open.length)]!;
      const view = await call(base, 'GET', `/api/v1/cases/${target.id}`, { token: tokens.county });
      if (view.status !== 200) {
        errors.push(`GET ${target.id}: ${view.status} ${JSON.stringify(view.body)}`);
        continue;
      }
      const next = NEXT[view.body.status as string];
      if (!next) {
        finished.add(target.id);
        continue;
      }
      const res = await call(base, 'POST', `/api/v1/cases/${target.id}/actions`, {
        token: tokens[next.as],
        body: { action: next.action, expected_version: view.body.version },
      });
      if (res.status === 200)
        steps.push({ case_id: target.id, action: next.action, version: res.body.version });
      // Another client took the same step first.
      else if (!(res.status === 409 && res.body.error?.code === 'case.version_conflict'))
        errors.push(`${next.action} on ${target.id}: ${res.status} ${JSON.stringify(res.body)}`);
    } catch (error) {
      if (dead()) return;
      errors.push(`request failed with the server up: ${String(error)}`);
      return;
    }
  }
}

/** The checks that hold after every restart, with the server up and no client running. */
async function checkStore(round: number, justStarted = true) {
  const { db } = setup.store;
  const where = justStarted ? `after restart ${round}` : 'at the end';
  // The server folds what the killed one left (src/main.ts) before it answers /healthz.
  const deltas = await db
    .selectFrom('case_count_deltas')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (justStarted) assert.equal(Number(deltas.n), 0, `${where}: count deltas left unfolded`);

  const cases = await db
    .selectFrom('cases')
    .select(['id', 'version', 'idempotency_key', 'reference'])
    .execute();
  const events = await db.selectFrom('case_events').select(['case_id', 'version', 'action']).execute();
  const byId = new Map(cases.map((c) => [c.id, c]));
  const eventsOf = new Map<string, Map<number, string[]>>();
  for (const e of events) {
    let m = eventsOf.get(e.case_id);
    if (!m) eventsOf.set(e.case_id, (m = new Map()));
    m.set(Number(e.version), [...(m.get(Number(e.version)) ?? []), e.action]);
  }
  for (const c of cases) {
    const m = eventsOf.get(c.id) ?? new Map<number, string[]>();
    const versions = [...m.keys()].sort((a, b) => a - b);
    assert.deepEqual(
      versions,
      Array.from({ length: Number(c.version) }, (_, i) => i + 1),
      `${where}: case ${c.id} at version ${c.version} has events ${JSON.stringify([...m])}`,
    );
    for (const [v, actions] of m) assert.equal(actions.length, 1, `${where}: ${c.id} v${v}: ${actions}`);
  }
  const keys = new Map(cases.map((c) => [c.idempotency_key, c]));
  for (const i of intakes.values()) {
    const c = byId.get(i.id);
    assert.ok(c, `${where}: acknowledged case ${i.reference} (${i.id}) is missing`);
    assert.equal(c.reference, i.reference);
    assert.equal(c.idempotency_key, i.key);
    assert.equal(keys.get(i.key)?.id, i.id, `${where}: key ${i.key} is on another case`);
    assert.ok(eventsOf.get(i.id)?.has(1), `${where}: ${i.reference} has no report event`);
  }
  const seen = new Set<string>();
  for (const s of steps) {
    const at = `${s.case_id} v${s.version}`;
    assert.ok(!seen.has(at), `${where}: two acknowledged steps made ${at}`);
    seen.add(at);
    assert.deepEqual(
      eventsOf.get(s.case_id)?.get(s.version),
      [s.action],
      `${where}: acknowledged ${s.action} ${at}`,
    );
    assert.ok(Number(byId.get(s.case_id)!.version) >= s.version, `${where}: ${at} is ahead of its case`);
  }

  // The indicators (folded rows plus pending deltas) against a recomputation from the raw cases.
  const now = Date.now();
  const q = { region: '330106', from: chinaDay(new Date(now - 86_400_000).toISOString()) };
  const to = chinaDay(new Date(now + 86_400_000).toISOString());
  const api = await getIndicators(db, { ...q, to });
  const facts = await loadCaseFacts(db, {
    region: { code: '330106000000', level: 'county' },
    from: q.from,
    to,
  });
  assert.equal(facts.length, cases.length, `${where}: every case in the period`);
  assert.deepEqual(api.counts, sumCounts(facts), `${where}: counts against a recomputation`);
}

test(`${ROUNDS} rounds of kill -9 under intake and workflow load lose nothing acknowledged`, async (t) => {
  const started = Date.now();
  const env = {
    ...setup.env,
    SMTP_URL: smtp.url,
    SHANZHI_MAIL_SECONDS: '0.2',
    MAIL_FROM: '善治 Shanzhi <no-reply@shanzhi.test>',
  };
  let server: ServerProcess = await startServer(env);
  const tokens: Record<string, string> = {
    resident: await signIn(server.url, 'resident'),
    county: await signIn(server.url, 'county.center'),
    urban: await signIn(server.url, 'dept.urban'),
  };
  let kills = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    let dead = false;
    const clients = Array.from({ length: CLIENTS }, () => client(server.url, tokens, () => dead));
    // A random moment of a short burst.
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 300));
    dead = true;
    await killHard(server);
    kills += 1;
    await Promise.all(clients);
    assert.deepEqual(errors, [], `round ${round}: ${server.output().slice(-2000)}`);
    server = await startServer(env);
    await checkStore(round);
    // Intakes whose answer the kill swallowed: the same key now creates the case or answers it.
    for (const key of [...inDoubt]) {
      await intake(server.url, tokens.resident!, key);
      inDoubt.delete(key);
    }
    assert.deepEqual(errors, []);
  }

  // Every acknowledged intake, retried with its key, answers the case it created.
  const all = [...intakes.values()];
  for (let i = 0; i < all.length; i += 16) {
    await Promise.all(
      all.slice(i, i + 16).map(async (c) => {
        const res = await call(server.url, 'POST', '/api/v1/cases', {
          token: tokens.resident,
          body: intakeBody(0),
          headers: { 'idempotency-key': c.key },
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.id, c.id);
        assert.equal(res.body.reference, c.reference);
      }),
    );
  }
  await checkStore(ROUNDS, false);
  assert.equal(await stopServer(server), 0, server.output().slice(-2000));

  const { store } = setup;
  const audit = await verifyAudit({ db: store.db });
  assert.deepEqual(audit.issues, [], 'hash chains after the kills');

  // Mail the killed servers had claimed but not marked goes when its lease has run out: delivered
  // here as the next server would, with a clock past the lease.
  const later = fixedClock(new Date(systemClock.now().getTime() + 10 * 60_000).toISOString());
  const delivery = makeDelivery({ store, clock: later }, { smtpUrl: smtp.url });
  await delivery.deliver();
  delivery.close();

  const rows = await store.db
    .selectFrom('outbox')
    .select(['id', 'message_id', 'status', 'attempts', 'payload'])
    .execute();
  const outboxIds = new Map(rows.map((r) => [r.message_id, r]));
  assert.deepEqual(
    rows.filter((r) => r.status !== 'sent').map((r) => [r.id, r.status]),
    [],
    'every outbox row sent',
  );
  // Every dispatch acknowledged or not (the case says it happened) wrote one mail to each notified unit.
  const dispatched = await store.db
    .selectFrom('case_events')
    .innerJoin('cases', 'cases.id', 'case_events.case_id')
    .select('cases.reference')
    .where('case_events.action', '=', 'dispatch')
    .execute();
  const mails = new Map<string, number>();
  for (const r of rows) {
    const p = readJson<OutboxPayload>(r.payload);
    if (p.content.template !== 'staff_assignment') continue;
    const k = `${(p.content as { reference: string }).reference} ${p.to}`;
    mails.set(k, (mails.get(k) ?? 0) + 1);
  }
  const expected = new Map<string, number>();
  for (const d of dispatched)
    for (const to of Object.values(NOTIFIED)) expected.set(`${d.reference} ${to}`, 1);
  assert.deepEqual([...mails].sort(), [...expected].sort(), 'one assignment mail per dispatch and unit');

  // Received: every row's Message-ID, nothing else; copies only of rows claimed again.
  const received = new Map<string, ParsedMail[]>();
  for (const m of smtp.messages)
    received.set(m.messageId ?? '', [...(received.get(m.messageId ?? '') ?? []), m]);
  const unknown = [...received.keys()].filter((id) => !outboxIds.has(id));
  assert.deepEqual(unknown, [], 'mail that is no outbox row');
  const lost = rows.filter((r) => !received.has(r.message_id)).map((r) => r.id);
  assert.deepEqual(lost, [], 'sent rows that never arrived');
  let duplicates = 0;
  for (const [id, copies] of received) {
    if (copies.length === 1) continue;
    duplicates += copies.length - 1;
    assert.ok(Number(outboxIds.get(id)!.attempts) >= copies.length, `${id}: more copies than claims`);
  }
  assert.ok(duplicates <= kills * MARK_EVERY, `${duplicates} copies after ${kills} kills`);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const store_ = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  t.diagnostic(
    `${store_}: ${kills} kills in ${seconds} s; acknowledged ${intakes.size} cases and ${steps.length} steps, ` +
      `lost 0, duplicated 0; ${rows.length} mails, ${smtp.messages.length} received, ${duplicates} copies (same Message-ID)`,
  );
  console.log(
    `crash-restart ${store_}: rounds ${kills}, cases ${intakes.size}, steps ${steps.length}, mails ${rows.length}, copies ${duplicates}, ${seconds} s`,
  );
});
