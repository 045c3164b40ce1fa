import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadHolidayYear } from '../../src/calendar/load-holiday-year.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { sumCounts } from '../../src/core/indicators/indicators.ts';
import { DEMO_FREQUENCIES, type Frequencies } from '../../src/demo/demo-case-life.ts';
import { HISTORY_COUNTY, HISTORY_TABLES, seedDemoHistory } from '../../src/demo/demo-history.ts';
import { DEMO_HISTORY_SEED, seedDemo } from '../../src/demo/seed-demo.ts';
import { loadCaseFacts } from '../../src/indicators/case-facts.ts';
import { getIndicators } from '../../src/indicators/get-indicators.ts';
import { replayTimelines } from '../helpers/replay.ts';
import { cn } from '../helpers/scenario.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

/**
 * `npm start` seeds a year of history ending at the machine's clock, so the history meets a
 * different calendar and random stream every day. These are "now" instants (China time) across
 * 2025–2028: month, quarter and year ends, the Spring Festival weeks, 调休 working weekends,
 * 29 February 2028, midnights, and the day the quick start was found broken (2026-12-05).
 */
const NOWS = [
  // Month, quarter and year ends, and the first minutes after them.
  '2025-01-31 23:59',
  '2025-03-31 17:45',
  '2025-06-30 12:00',
  '2025-09-30 23:59',
  '2025-12-31 23:30',
  '2026-01-01 00:05',
  '2026-03-31 08:29',
  '2026-06-30 17:31',
  '2026-11-30 23:59',
  '2026-12-31 23:59',
  '2027-01-01 00:00',
  '2027-06-30 14:00',
  '2027-12-31 18:00',
  '2028-01-31 09:00',
  '2028-12-31 23:59',
  // 29 February 2028 and around it.
  '2028-02-28 23:59',
  '2028-02-29 00:01',
  '2028-02-29 09:00',
  '2028-02-29 23:59',
  '2028-03-01 00:01',
  // Spring Festival weeks (2027 and 2028 from the assumed arrangements below).
  '2025-01-28 10:00',
  '2025-01-29 00:00',
  '2025-02-02 15:00',
  '2025-02-04 23:00',
  '2025-02-05 08:30',
  '2026-02-15 09:00',
  '2026-02-17 00:00',
  '2026-02-20 12:00',
  '2026-02-23 23:59',
  '2026-02-24 08:30',
  '2027-02-05 18:00',
  '2027-02-08 10:00',
  '2027-02-12 23:00',
  '2027-02-13 08:30',
  '2028-01-25 12:00',
  '2028-01-28 09:00',
  '2028-02-01 23:59',
  // 调休: weekends that are working days.
  '2025-01-26 10:00',
  '2025-02-08 16:00',
  '2025-04-27 09:00',
  '2025-09-28 14:30',
  '2025-10-11 11:00',
  '2026-01-04 08:30',
  '2026-02-14 17:30',
  '2026-02-28 12:00',
  '2026-05-09 10:00',
  '2026-09-20 15:00',
  '2026-10-10 09:45',
  '2027-02-20 10:00',
  '2028-01-22 10:00',
  // Other holidays and ordinary days.
  '2025-05-01 09:00',
  '2025-10-01 00:00',
  '2025-10-08 23:59',
  '2026-05-05 20:00',
  '2026-10-07 23:59',
  '2026-11-27 10:00',
  '2026-12-05 23:45',
  '2027-04-05 07:00',
  '2027-10-01 12:00',
  '2028-05-01 09:00',
  '2028-07-15 03:00',
  '2028-10-03 16:00',
];

/**
 * Every turn of a case's life made common, so that a couple of hundred cases per date meet every
 * path and the combinations of paths (returned, reopened and returned again; whistled and parked;
 * reworked after an escalation …).
 */
const EVERY_PATH: Frequencies = {
  ...DEMO_FREQUENCIES,
  verify_hotline: 0.4,
  self_resolve: 0.3,
  void: 0.05,
  merge: 0.3,
  misdispatch: 0.2,
  return_first: 0.45,
  return_again: 0.4,
  slow_accept: 0.3,
  whistle: 0.35,
  extension: 0.35,
  park: 0.25,
  late: 0.45,
  rework: 0.4,
  rated: 1,
  not_fixed: 0.5,
  reopen_unfixed: 0.9,
  reopen_low_rating: 0.9,
};

/** Assumed arrangements for years not announced yet, only so that these dates meet holidays too. */
const ASSUMED_YEARS = [
  {
    year: 2027,
    notice: '测试用假设安排，非官方 / assumed for tests, not an official notice',
    holidays: {
      春节: [
        '2027-02-05',
        '2027-02-06',
        '2027-02-07',
        '2027-02-08',
        '2027-02-09',
        '2027-02-10',
        '2027-02-11',
        '2027-02-12',
      ],
      国庆节: [
        '2027-10-01',
        '2027-10-02',
        '2027-10-03',
        '2027-10-04',
        '2027-10-05',
        '2027-10-06',
        '2027-10-07',
      ],
    },
    makeupDays: ['2027-02-20', '2027-09-26'],
  },
  {
    year: 2028,
    notice: '测试用假设安排，非官方 / assumed for tests, not an official notice',
    holidays: {
      春节: [
        '2028-01-25',
        '2028-01-26',
        '2028-01-27',
        '2028-01-28',
        '2028-01-29',
        '2028-01-30',
        '2028-01-31',
        '2028-02-01',
      ],
      国庆节: [
        '2028-10-01',
        '2028-10-02',
        '2028-10-03',
        '2028-10-04',
        '2028-10-05',
        '2028-10-06',
        '2028-10-07',
      ],
    },
    makeupDays: ['2028-01-22', '2028-09-30'],
  },
];

const CASES = 200;
const chinaDay = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
let store: TestStore;

before(async () => {
  store = await makeTestStore();
  const clock = fixedClock(new Date(cn('2026-12-05 23:45')));
  await seedDemo({ store, clock }, { password: 'demo', cases: 0 });
  for (const year of ASSUMED_YEARS) await loadHolidayYear({ db: store.db, clock }, year);
});
after(() => store.close());

test('the list covers at least 60 different dates over 2025–2028', () => {
  assert.ok(new Set(NOWS).size >= 60, String(new Set(NOWS).size));
  assert.deepEqual(new Set(NOWS.map((n) => n.slice(0, 4))), new Set(['2025', '2026', '2027', '2028']));
});

test('the demo history seeds on every date: no case stuck, every timeline replays, counts match', async () => {
  for (const now of NOWS) {
    for (const table of HISTORY_TABLES) {
      await store.db.deleteFrom(table).execute();
    }
    const until = new Date(cn(now));
    const report = await seedDemoHistory(
      { store },
      { seed: DEMO_HISTORY_SEED, cases: CASES, until, frequencies: EVERY_PATH },
    );
    assert.equal(report.stuck, 0, `${now}: ${report.stuck} cases stuck`);
    assert.ok(report.cases > CASES * 0.7, `${now}: ${report.cases} cases`);
    assert.deepEqual((await replayTimelines(store.db)).slice(0, 5), [], now);

    const q = {
      region: '330106',
      from: chinaDay(new Date(until.getTime() - 365 * 86_400_000).toISOString()),
      to: chinaDay(until.toISOString()),
    };
    const stored = await getIndicators(store.db, q);
    const facts = await loadCaseFacts(store.db, {
      region: { code: HISTORY_COUNTY, level: 'county' },
      from: q.from,
      to: q.to,
    });
    assert.deepEqual(stored.counts, sumCounts(facts), now);
  }
});

test('over all the dates the side paths of the workflow all occur, reopened cases returned again among them', async () => {
  // The last date's history is in the store; the paths that broke the quick start are there.
  const actions = new Set(
    (await store.db.selectFrom('case_events').select('action').distinct().execute()).map((e) => e.action),
  );
  for (const action of ['return', 'arbitrate', 'reopen', 'whistle', 'report_in', 'park', 'resume']) {
    assert.ok(actions.has(action), action);
  }
  const reopenedThenArbitrated = await store.db
    .selectFrom('case_events as r')
    .innerJoin('case_events as a', 'a.case_id', 'r.case_id')
    .select('r.case_id')
    .where('r.action', '=', 'reopen')
    .where('a.action', '=', 'arbitrate')
    .whereRef('a.version', '>', 'r.version')
    .limit(1)
    .execute();
  assert.equal(reopenedThenArbitrated.length, 1);
});
