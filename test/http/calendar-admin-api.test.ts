import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp(async (store) => {
    await loadCounty(store);
    await loadCounty(store, '330105');
    await seedDemoAccounts({ db: store.db, clock: fixedClock('2026-03-01T07:00:00Z') }, { password: 'demo' });
  });
});
after(() => t.close());

const tokens = new Map<string, string>();
async function as(username: string) {
  if (!tokens.has(username)) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password: 'demo' },
    });
    tokens.set(username, res.json().token);
  }
  return { authorization: `Bearer ${tokens.get(username)}` };
}

const loadYear = async (payload: unknown, username?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/calendar/years',
    payload: payload as object,
    headers: username ? await as(username) : {},
  });

const audits = (action: string, target: string) =>
  t.store.db
    .selectFrom('audit_log')
    .select(['actor_username'])
    .where('action', '=', action)
    .where('target_id', '=', target)
    .execute();

// 2027-03-01 is a Monday: a made-up holiday there pushes a working day from Friday to Tuesday.
const year2027 = {
  year: 2027,
  notice: '测试通知 2027',
  holidays: { 测试节: ['2027-03-01'] },
  makeupDays: [],
};
const oneWorkingDayFromFriday = () =>
  t.app.inject({
    url: '/api/v1/calendar/deadline',
    query: { start: '2027-02-26T16:00:00+08:00', amount: '1', unit: 'work_days' },
  });

test('loading a holiday year without a token is 401 auth.required', async () => {
  const res = await loadYear(year2027);
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'auth.required');
});

test('holiday years are national: a county centre may not load one (403, in Chinese and English)', async () => {
  const res = await loadYear(year2027, 'county.center');
  assert.equal(res.statusCode, 403);
  const { error } = res.json();
  assert.equal(error.code, 'access.role_forbidden');
  assert.match(error.message, /无权操作.*calendar\.edit/);
  assert.match(error.message_en, /may not perform calendar\.edit/);
});

test('an administrator loads a year, audited, and deadlines count its holidays at once', async () => {
  assert.equal((await oneWorkingDayFromFriday()).json().deadline, '2027-03-01T16:00:00+08:00');
  const res = await loadYear(year2027, 'admin');
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { year: 2027, replaced: false, holidays: 1, makeup_days: 0 });
  assert.equal((await oneWorkingDayFromFriday()).json().deadline, '2027-03-02T16:00:00+08:00');
  const [row] = await audits('calendar.load_year', '2027');
  assert.equal(row?.actor_username, 'admin');
});

test('GET /api/v1/calendar/years lists the shipped years and the loaded ones', async () => {
  const res = await t.app.inject('/api/v1/calendar/years');
  assert.equal(res.statusCode, 200);
  const items: Array<{ year: number; source: string }> = res.json().items;
  const byYear = new Map(items.map((i) => [i.year, i.source]));
  assert.equal(byYear.get(2025), 'shipped');
  assert.equal(byYear.get(2026), 'shipped');
  assert.equal(byYear.get(2027), 'loaded');
});

test('a year with bad dates is refused whole with 422 and nothing is written', async () => {
  const res = await loadYear(
    {
      year: 2028,
      notice: '错误通知',
      holidays: { 春节: ['2028-02-30', '2029-01-01'] },
      makeupDays: ['2028-03-01'],
    },
    'admin',
  );
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().error.code, 'calendar.year_rejected');
  const rows = await t.store.db
    .selectFrom('calendar_years')
    .select('year')
    .where('year', '=', 2028)
    .execute();
  assert.equal(rows.length, 0);
  assert.equal((await audits('calendar.load_year', '2028')).length, 0);
});

test('a county centre sets the work periods of its county, audited; another county is out of scope', async () => {
  const headers = await as('county.center');
  const periods = [{ start: '09:00', end: '17:00' }];
  const ok = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/calendar/work-periods',
    payload: { region: '330106', periods },
    headers,
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { region: '330106000000', periods });
  assert.equal(
    (await audits('calendar.set_work_periods', '330106000000'))[0]?.actor_username,
    'county.center',
  );
  const deadline = await t.app.inject({
    url: '/api/v1/calendar/deadline',
    query: { start: '2026-03-02T09:00:00+08:00', amount: '8', unit: 'work_hours', region: '330106' },
  });
  assert.equal(deadline.json().deadline, '2026-03-02T17:00:00+08:00');

  const refused = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/calendar/work-periods',
    payload: { region: '330105', periods },
    headers,
  });
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().error.code, 'access.out_of_scope');
});
