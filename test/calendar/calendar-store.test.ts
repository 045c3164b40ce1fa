import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getCalendar, listHolidayYears } from '../../src/calendar/get-calendar.ts';
import { loadHolidayYear } from '../../src/calendar/load-holiday-year.ts';
import { setWorkPeriods } from '../../src/calendar/set-work-periods.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { addDuration } from '../../src/core/calendar/deadlines.ts';
import { formatCst, type HolidayYear } from '../../src/core/calendar/definition.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { loadCounty } from '../helpers/regions.ts';

let store: TestStore;
const clock = fixedClock('2026-11-10T02:00:00Z');
before(async () => {
  store = await makeTestStore();
  await loadCounty(store, '330106');
});
after(() => store.close());

const at = (local: string) => new Date(`${local}+08:00`);
const deadline = async (region: string | undefined, start: string, hours: number) =>
  formatCst(addDuration((await getCalendar(store.db, region)).calendar, at(start), hours, 'work_hours'));

/** A made-up arrangement for 2027 (the real one is announced in November 2026). */
const year2027: HolidayYear = {
  year: 2027,
  notice: '测试用通知 (test)',
  holidays: { 元旦: ['2027-01-01', '2027-01-02', '2027-01-03'] },
  makeupDays: ['2027-01-09'],
};

test('the shipped years 2025 and 2026 are in force before anything is loaded', async () => {
  const years = await listHolidayYears(store.db);
  assert.deepEqual(
    years.map((y) => y.year),
    [2025, 2026],
  );
  assert.match(years[0]!.notice, /国办发明电〔2024〕12号/);
  assert.equal(await deadline(undefined, '2026-02-13T16:00', 10), '2026-02-24T10:00:00+08:00');
});

test('a loaded year takes effect for deadlines without a code change', async () => {
  assert.equal(await deadline(undefined, '2026-12-31T17:00', 1), '2027-01-01T09:00:00+08:00');
  const loaded = await loadHolidayYear({ db: store.db, clock }, year2027);
  assert.deepEqual(loaded, { year: 2027, replaced: false, holidays: 3, makeup_days: 1 });
  assert.equal(await deadline(undefined, '2026-12-31T17:00', 1), '2027-01-04T09:00:00+08:00');
  // The make-up Saturday 2027-01-09 is worked.
  assert.equal(await deadline(undefined, '2027-01-08T17:00', 1), '2027-01-09T09:00:00+08:00');
});

test('loading a year again replaces it, and a loaded year overrides the shipped one', async () => {
  const again = await loadHolidayYear({ db: store.db, clock }, { ...year2027, makeupDays: [] });
  assert.equal(again.replaced, true);
  assert.equal(await deadline(undefined, '2027-01-08T17:00', 1), '2027-01-11T09:00:00+08:00');
  await loadHolidayYear(
    { db: store.db, clock },
    { year: 2026, notice: '更正 (test)', holidays: {}, makeupDays: [] },
  );
  assert.equal(await deadline(undefined, '2026-02-13T16:00', 10), '2026-02-17T10:00:00+08:00');
  const years = await listHolidayYears(store.db);
  assert.equal(years.find((y) => y.year === 2026)?.notice, '更正 (test)');
});

test('a year with dates outside it, a weekday make-up day or a date both ways is refused whole', async () => {
  const bad: HolidayYear = {
    year: 2028,
    notice: 'bad (test)',
    holidays: { 元旦: ['2027-12-31', '2028-01-01'], 春节: ['2028-02-30'] },
    makeupDays: ['2028-01-05', '2028-01-01'],
  };
  await assert.rejects(
    loadHolidayYear({ db: store.db, clock }, bad),
    (error: Error & { details?: unknown }) => {
      assert.equal((error as { code?: string }).code, 'calendar.year_rejected');
      const { problems } = error.details as { problems: string[] };
      assert.ok(problems.some((p) => p.includes('2027-12-31 is not in 2028')));
      assert.ok(problems.some((p) => p.includes('2028-02-30 is not a date')));
      assert.ok(problems.some((p) => p.includes('2028-01-05 is not a weekend day')));
      assert.ok(problems.some((p) => p.includes('2028-01-01 is both a holiday and a make-up working day')));
      return true;
    },
  );
  const years = await listHolidayYears(store.db);
  assert.ok(!years.some((y) => y.year === 2028));
});

test('work periods: the most specific region in the ancestry wins, the default otherwise', async () => {
  const deps = { db: store.db, clock };
  const community = '330106002051'; // 上保社区, under 北山街道 (330106002), 西湖区 (330106)
  assert.equal(await deadline(community, '2026-03-09T17:00', 1), '2026-03-10T09:00:00+08:00');
  await setWorkPeriods(deps, '330106', [{ start: '09:00', end: '17:00' }]);
  assert.equal(await deadline(community, '2026-03-09T16:30', 1), '2026-03-10T09:30:00+08:00');
  await setWorkPeriods(deps, '330106002', [
    { start: '08:00', end: '12:00' },
    { start: '13:00', end: '18:00' },
  ]);
  const own = await getCalendar(store.db, community);
  assert.equal(own.periods_from, '330106002000');
  assert.equal(await deadline(community, '2026-03-09T17:30', 1), '2026-03-10T08:30:00+08:00');
  // A sibling township still inherits from the county; the national default stays.
  assert.equal((await getCalendar(store.db, '330106004')).periods_from, '330106000000');
  assert.equal((await getCalendar(store.db)).periods_from, null);
  await setWorkPeriods(deps, '330106002', null);
  assert.equal((await getCalendar(store.db, community)).periods_from, '330106000000');
});

test('overlapping or malformed work periods and unknown regions are refused', async () => {
  const deps = { db: store.db, clock };
  await assert.rejects(
    setWorkPeriods(deps, '330106', [
      { start: '08:00', end: '12:00' },
      { start: '11:00', end: '17:00' },
    ]),
    { code: 'calendar.periods_rejected' },
  );
  await assert.rejects(setWorkPeriods(deps, '330106', [{ start: '8:00', end: '12:00' }]), {
    code: 'calendar.periods_rejected',
  });
  await assert.rejects(setWorkPeriods(deps, '330106', []), { code: 'calendar.periods_rejected' });
  await assert.rejects(setWorkPeriods(deps, '330199', [{ start: '09:00', end: '17:00' }]), {
    code: 'region.not_found',
  });
});
