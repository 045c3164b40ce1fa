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
    await seedDemoAccounts({ db: store.db, clock: fixedClock('2026-03-01T07:00:00Z') }, { password: 'demo' });
  });
});
after(() => t.close());

const inForce = async (region: string) =>
  (await t.app.inject(`/api/v1/calendar/work-periods?region=${region}`)).json();

test('GET /api/v1/calendar/work-periods answers the periods in force and the region they come from', async () => {
  const before = await inForce('330106002');
  assert.equal(before.region, '330106002000');
  assert.equal(before.periods_from, null);
  assert.ok(before.periods.length > 0);

  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username: 'county.center', password: 'demo' },
  });
  const set = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/calendar/work-periods',
    payload: { region: '330106', periods: [{ start: '09:00', end: '17:00' }] },
    headers: { authorization: `Bearer ${login.json().token}` },
  });
  assert.equal(set.statusCode, 200, set.body);
  const township = await inForce('330106002');
  assert.deepEqual(township.periods, [{ start: '09:00', end: '17:00' }]);
  assert.equal(township.periods_from, '330106000000');
});
