import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { sumCounts } from '../../src/core/indicators/indicators.ts';
import { CHANNELS, isOpenStage } from '../../src/core/workflow/stages.ts';
import { readJson, readTimestamp } from '../../src/db/dialect.ts';
import { HISTORY_COUNTY, HISTORY_TABLES, seedDemoHistory } from '../../src/demo/demo-history.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { loadCaseFacts } from '../../src/indicators/case-facts.ts';
import { getIndicators } from '../../src/indicators/get-indicators.ts';
import { replayTimelines } from '../helpers/replay.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

// 5,000 cases: enough for every indicator's denominator to reach the minimum sample of 30.
const CASES = 5000;
const SEED = 42;
const until = new Date('2026-03-02T09:30:00+08:00');
const chinaDay = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
let store: TestStore;

async function digest(): Promise<string> {
  const hash = createHash('sha256');
  const cases = await store.db
    .selectFrom('cases')
    .select(['id', 'reference', 'channel', 'category_code', 'grid_code', 'stage', 'version', 'updated_at'])
    .orderBy('id')
    .execute();
  for (const c of cases) hash.update(JSON.stringify({ ...c, updated_at: readTimestamp(c.updated_at) }));
  const events = await store.db
    .selectFrom('case_events')
    .select(['case_id', 'version', 'at', 'action', 'to_stage', 'payload'])
    .orderBy('case_id')
    .orderBy('version')
    .execute();
  for (const e of events) {
    hash.update(JSON.stringify({ ...e, at: readTimestamp(e.at), payload: readJson(e.payload) }));
  }
  return hash.digest('hex');
}

before(async () => {
  store = await makeTestStore();
  await seedDemo({ store, clock: fixedClock(until) }, { password: 'demo', cases: 0 });
  await seedDemoHistory({ store }, { seed: SEED, cases: CASES, until });
});
after(() => store.close());

test('every case’s events replay through the transition table to its stored stage, numbered 1..n without gaps', async () => {
  const cases = await store.db.selectFrom('cases').select('id').execute();
  assert.ok(cases.length > CASES * 0.9 && cases.length < CASES * 1.1, String(cases.length));
  assert.deepEqual((await replayTimelines(store.db)).slice(0, 5), []);
});

test('the year shows the weekly and seasonal rhythm: more on weekdays, 市容 peaks in July', async () => {
  const rows = await store.db.selectFrom('cases').select(['reported_at', 'category_code']).execute();
  const perDay = new Map<string, number>();
  let july = 0;
  let march = 0;
  for (const r of rows) {
    const day = chinaDay(readTimestamp(r.reported_at));
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    if (r.category_code?.startsWith('SJ01')) {
      if (day.startsWith('2025-07')) july += 1;
      if (day.startsWith('2025-03')) march += 1;
    }
  }
  const average = (weekend: boolean) => {
    const days = [...perDay].filter(
      ([d]) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) === weekend,
    );
    return days.reduce((s, [, n]) => s + n, 0) / days.length;
  };
  assert.ok(average(false) > average(true) * 1.3, `${average(false)} vs ${average(true)}`);
  assert.ok(july > march * 1.5, `July ${july}, March ${march}`);
});

test('reports come through every channel, and the workflow’s side paths all occur', async () => {
  const channels = await store.db.selectFrom('cases').select('channel').distinct().execute();
  assert.deepEqual(channels.map((c) => c.channel).sort(), [...CHANNELS].sort());
  const actions = new Set(
    (await store.db.selectFrom('case_events').select('action').distinct().execute()).map((e) => e.action),
  );
  for (const action of [
    'register',
    'void',
    'merge',
    'self_resolve',
    'return',
    'arbitrate',
    'whistle',
    'report_in',
    'approve_extension',
    'park',
    'resume',
    'escalate',
    'verify_fail',
    'rate',
    'reopen',
  ]) {
    assert.ok(actions.has(action), action);
  }
});

test('at the seed’s now some cases are still open and some of those are overdue', async () => {
  const rows = await store.db.selectFrom('cases').select(['stage', 'stage_deadline']).execute();
  const open = rows.filter((r) => isOpenStage(r.stage as never));
  const overdue = open.filter(
    (r) => r.stage_deadline && readTimestamp(r.stage_deadline) < until.toISOString(),
  );
  assert.ok(open.length >= 20, `open ${open.length}`);
  assert.ok(overdue.length >= 5, `overdue ${overdue.length}`);
});

test('every indicator of the county over the year is meaningful and equals a recomputation', async () => {
  const q = {
    region: '330106',
    from: chinaDay(new Date(until.getTime() - 365 * 86_400_000).toISOString()),
    to: chinaDay(until.toISOString()),
  };
  const api = await getIndicators(store.db, q);
  for (const [key, value] of Object.entries(api.indicators)) {
    assert.ok(value.denominator >= 30 && value.meaningful, `${key}: ${value.denominator}`);
  }
  const facts = await loadCaseFacts(store.db, {
    region: { code: HISTORY_COUNTY, level: 'county' },
    from: q.from,
    to: q.to,
  });
  assert.deepEqual(api.counts, sumCounts(facts));
});

test('new reports continue the reference sequence after the history', async () => {
  const day = chinaDay(until.toISOString()).replaceAll('-', '');
  const seq = await store.db
    .selectFrom('reference_sequences')
    .select('last')
    .where('county_code', '=', HISTORY_COUNTY)
    .where('day', '=', day)
    .executeTakeFirst();
  const refs = await store.db
    .selectFrom('cases')
    .select('reference')
    .where('reference', 'like', `330106-${day}-%`)
    .execute();
  assert.equal(Number(seq?.last ?? 0), refs.length);
});

test('the same seed gives the same history, case for case and event for event', async () => {
  const first = await digest();
  for (const table of HISTORY_TABLES) {
    await store.db.deleteFrom(table).execute();
  }
  await seedDemoHistory({ store }, { seed: SEED, cases: CASES, until });
  assert.equal(await digest(), first);
});
