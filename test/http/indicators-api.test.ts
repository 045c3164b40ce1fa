import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { rebuildCountyCounts } from '../../src/indicators/rebuild-counts.ts';
import { insertCases, syntheticCases } from '../helpers/case-facts.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp(async (store) => {
    await loadCounty(store);
    await seedDemoAccounts({ db: store.db, clock: fixedClock('2026-03-01T07:00:00Z') }, { password: 'demo' });
    const place = { county_code: '330106000000', region_code: '330106002051', grid_code: '330106002051001' };
    await insertCases(
      store.db,
      syntheticCases({
        count: 120,
        seed: 3,
        places: [place],
        departments: ['dept-330106-urban'],
        from: '2026-01-01T00:00:00Z',
        to: '2026-02-20T00:00:00Z',
      }),
    );
    await rebuildCountyCounts(store.db, '330106000000');
  });
});
after(() => t.close());

async function as(username: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password: 'demo' },
  });
  return { authorization: `Bearer ${res.json().token}` };
}

const URL_2026 = '/api/v1/indicators?region=330106&from=2026-01-01&to=2026-12-31';

test('a county centre reads its county’s rates, each with the counts behind it', async () => {
  const res = await t.app.inject({ url: URL_2026, headers: await as('county.center') });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.region.code, '330106000000');
  assert.equal(body.counts.cases, 120);
  assert.equal(body.min_sample, 30);
  const closure = body.indicators.closure_rate;
  assert.equal(closure.numerator, body.counts.closed);
  assert.equal(closure.denominator, body.counts.should_close);
  assert.equal(closure.value, closure.numerator / closure.denominator);
  assert.equal(closure.formula_key, 'closure_rate');
  assert.equal(closure.meaningful, closure.denominator >= 30);
});

test('the cases_url of a number lists exactly that many cases', async () => {
  const headers = await as('county.center');
  const body = (await t.app.inject({ url: URL_2026, headers })).json();
  const r = body.indicators.on_time_handling_rate;
  const listed = await t.app.inject({ url: r.numerator_cases_url, headers });
  assert.equal(listed.statusCode, 200);
  assert.equal(listed.json().total, r.numerator);
  assert.ok(!('reporter_phone' in (listed.json().items[0] ?? {})));
});

test('min_sample raises the bar for a meaningful rate', async () => {
  const res = await t.app.inject({
    url: `${URL_2026}&min_sample=100000`,
    headers: await as('county.center'),
  });
  assert.equal(res.json().indicators.response_rate.meaningful, false);
});

test('indicators need a session, the indicators.read permission and a region in scope', async () => {
  assert.equal((await t.app.inject({ url: URL_2026 })).statusCode, 401);
  const resident = await t.app.inject({ url: URL_2026, headers: await as('resident') });
  assert.equal(resident.statusCode, 403);
  assert.equal(resident.json().error.code, 'access.role_forbidden');
  const community = await t.app.inject({ url: URL_2026, headers: await as('community.handler') });
  assert.equal(community.statusCode, 403);
  assert.equal(community.json().error.code, 'access.out_of_scope');
});

test('a period that ends before it starts, or a day that does not exist, is a 400', async () => {
  const headers = await as('county.center');
  const backwards = await t.app.inject({
    url: '/api/v1/indicators?region=330106&from=2026-02-01&to=2026-01-01',
    headers,
  });
  assert.equal(backwards.statusCode, 400);
  assert.equal(backwards.json().error.code, 'request.invalid');
  const bad = await t.app.inject({
    url: '/api/v1/indicators?region=330106&from=2026-02-30&to=2026-03-01',
    headers,
  });
  assert.equal(bad.statusCode, 400);
});
