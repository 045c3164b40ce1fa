import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setWorkPeriods } from '../../src/calendar/set-work-periods.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp(async (store) => {
    await loadCounty(store, '330106');
    await setWorkPeriods({ db: store.db, clock: fixedClock('2026-01-01T00:00:00Z') }, '330106002', [
      { start: '09:00', end: '17:00' },
    ]);
  });
});
after(() => t.close());

const deadline = (query: Record<string, string>) =>
  t.app.inject({ method: 'GET', url: '/api/v1/calendar/deadline', query });

test('10 work hours from the Friday before 春节 2026 end on 02-24, in +08:00', async () => {
  const res = await deadline({ start: '2026-02-13T16:00:00+08:00', amount: '10', unit: 'work_hours' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    deadline: '2026-02-24T10:00:00+08:00',
    unit: 'work_hours',
    amount: 10,
    start: '2026-02-13T16:00:00+08:00',
    region: null,
  });
});

test('a UTC start is answered in +08:00, for every unit', async () => {
  const start = '2026-02-13T08:00:00Z'; // 16:00 in China
  const expected = {
    work_hours: '2026-02-14T10:00:00+08:00',
    urgent_hours: '2026-02-14T19:00:00+08:00',
    work_days: '2026-02-24T16:00:00+08:00',
    natural_days: '2026-02-16T16:00:00+08:00',
  };
  const amounts = { work_hours: '3', urgent_hours: '27', work_days: '2', natural_days: '3' };
  for (const unit of ['work_hours', 'urgent_hours', 'work_days', 'natural_days'] as const) {
    const res = await deadline({ start, amount: amounts[unit], unit });
    assert.equal(res.json().deadline, expected[unit], unit);
  }
});

test('a region uses the work periods of its nearest ancestor that sets them', async () => {
  const res = await deadline({
    start: '2026-03-09T16:30:00+08:00',
    amount: '1',
    unit: 'work_hours',
    region: '330106002051',
  });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().deadline, '2026-03-10T09:30:00+08:00');
  assert.equal(res.json().region, '330106002051');
  const county = await deadline({
    start: '2026-03-09T16:30:00+08:00',
    amount: '1',
    unit: 'work_hours',
    region: '330106',
  });
  // The county itself sets nothing: the default periods, so the hour ends at 17:30.
  assert.equal(county.json().deadline, '2026-03-09T17:30:00+08:00');
});

test('an unencoded + in the start offset (read as a space) is still understood', async () => {
  const res = await t.app.inject(
    '/api/v1/calendar/deadline?start=2026-03-09T09:00:00+08:00&amount=1&unit=work_hours',
  );
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().deadline, '2026-03-09T10:00:00+08:00');
});

test('bad input is a 400 request.invalid, never a 500', async () => {
  const good = { start: '2026-03-09T09:00:00+08:00', amount: '1', unit: 'work_hours' };
  const bad: Array<Record<string, string>> = [
    { ...good, unit: 'fortnights' },
    { ...good, amount: '-1' },
    { ...good, amount: 'abc' },
    { ...good, amount: '' },
    { ...good, amount: '1e9' },
    { ...good, amount: '20000' },
    { ...good, start: '2026-03-09T09:00:00' },
    { ...good, start: 'yesterday' },
    { ...good, start: '2026-13-45T09:00:00+08:00' },
    { ...good, region: '33010' },
    { amount: '1', unit: 'work_hours' },
  ];
  for (const query of bad) {
    const res = await deadline(query);
    assert.equal(res.statusCode, 400, JSON.stringify(query));
    assert.equal(res.json().error.code, 'request.invalid');
  }
});

test('an unknown region is a 404 region.not_found', async () => {
  const res = await deadline({
    start: '2026-03-09T09:00:00+08:00',
    amount: '1',
    unit: 'work_hours',
    region: '330199',
  });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'region.not_found');
});

test('the OpenAPI document lists the units from DEADLINE_UNITS', async () => {
  const res = await t.app.inject('/openapi.json');
  const op = res.json().paths['/api/v1/calendar/deadline'].get;
  const unit = op.parameters.find((p: { name: string }) => p.name === 'unit');
  assert.deepEqual(unit.schema.enum, ['work_hours', 'urgent_hours', 'work_days', 'natural_days']);
});
