import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OVERVIEW_MEASURES } from '../../src/core/indicators/overview.ts';
import { MARKET, Scenario, SHANGBAO, URBAN, type Json } from '../helpers/scenario.ts';

/**
 * GET /api/v1/indicators/overview and /overview/cases over the real workflow: every number of the
 * overview is the total of the list behind it, and open, overdue, escalated, supervised and the
 * departments' returns follow what happened to the cases.
 */
let s: Scenario;
const PERIOD = 'from=2026-03-01&to=2026-03-31';
const GRID = `${SHANGBAO}01`;
const ids = {} as Record<'fresh' | 'patrol' | 'returned' | 'supervised' | 'closed', string>;

before(async () => {
  s = await Scenario.start();
  s.at('2026-03-02 09:00');
  ids.fresh = (await s.report({ title: '新报告' })).id;
  const patrol = await s.postReport('grid.worker', { title: '巡查发现', channel: 'patrol' });
  assert.equal(patrol.statusCode, 201, patrol.body);
  ids.patrol = patrol.json().id;
  ids.returned = (await s.report({ title: '被退回' })).id;
  await s.act('county.center', ids.returned, { action: 'register' });
  await s.act('county.center', ids.returned, { action: 'dispatch' });
  await s.act('dept.urban', ids.returned, { action: 'return', reason: '不属于本部门职责' });
  await s.act('county.center', ids.returned, {
    action: 'dispatch',
    department_id: MARKET,
    reason: '改派市场监管',
  });
  ids.supervised = (await s.report({ title: '督办件' })).id;
  await s.act('county.center', ids.supervised, { action: 'supervise', reason: '群众反映强烈' });
  ids.closed = (await s.report({ title: '已结案' })).id;
  await s.act('county.center', ids.closed, { action: 'register' });
  await s.handleToClosure(ids.closed, {
    dispatch: '2026-03-02 10:00',
    feedback: '2026-03-03 10:00',
    close: '2026-03-03 15:00',
  });
  // Two days on: the reports never registered are past their registration limit.
  s.at('2026-03-05 09:00');
});
after(() => s.close());

async function get(url: string, username = 'county.center'): Promise<Json> {
  const res = await s.t.app.inject({ url, headers: await s.headers(username) });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

const list = (query: string) => get(`/api/v1/indicators/overview/cases?limit=1000&${PERIOD}&${query}`);

test('the overview counts open, overdue, supervised and returned cases as they are now', async () => {
  const body = await get(`/api/v1/indicators/overview?region=330106&${PERIOD}&bucket=week`);
  assert.equal(body.region.code, '330106000000');
  assert.equal(body.totals.cases, 5);
  assert.equal(body.totals.closed, 1);
  assert.equal(body.totals.open, 4);
  assert.equal(body.totals.supervised, 1);
  assert.equal(body.totals.returned, 1);
  assert.deepEqual(
    body.recent.supervised.map((c: Json) => c.id),
    [ids.supervised],
  );
  assert.deepEqual(body.recent.escalated, []);
  const overdue = (await list('region=330106&measure=overdue')).items.map((c: Json) => c.id).sort();
  assert.deepEqual(overdue, [ids.fresh, ids.patrol, ids.supervised].sort(), 'unregistered past their limit');
  assert.equal(body.totals.overdue, 3);
  // 北山街道 holds every case; the grid of 上保社区 too.
  const beishan = body.children.find((c: Json) => c.code === '330106002000');
  assert.equal(beishan.cases, 5);
  assert.deepEqual(body.grids, [{ code: GRID, cases: 5, open: 4, overdue: 3, closed: 1 }]);
  assert.deepEqual(
    body.channels.map((c: Json) => [c.channel, c.cases]),
    [
      ['web', 4],
      ['patrol', 1],
    ],
  );
  // Weeks from Monday, clipped to the period: 1 March 2026 is a Sunday.
  assert.deepEqual(body.trend[0], {
    start: '2026-02-23',
    first: '2026-03-01',
    last: '2026-03-01',
    cases: 0,
    open: 0,
    overdue: 0,
    closed: 0,
  });
  assert.equal(body.trend[1].cases, 5);
});

test('a department’s returns count against the department that returned, not the new owner', async () => {
  const body = await get(`/api/v1/indicators/overview?region=330106&${PERIOD}`);
  const urban = body.departments.find((d: Json) => d.id === URBAN);
  const market = body.departments.find((d: Json) => d.id === MARKET);
  assert.equal(urban.returned, 1);
  assert.equal(urban.dispatched_to, 2, 'the returned case and the closed one');
  assert.equal(urban.return_rate, 0.5);
  assert.equal(market.returned, 0);
  assert.equal(market.dispatched_to, 1);
  assert.equal(market.meaningful, false);
  const returnedBy = await list(`region=330106&measure=returned&department=${URBAN}`);
  assert.deepEqual(
    returnedBy.items.map((c: Json) => c.id),
    [ids.returned],
  );
  assert.equal(returnedBy.items[0].owner_department_id, MARKET);
});

test('every number of the overview is the total of the list behind it', async () => {
  const base = `region=330106&${PERIOD}`;
  const body = await get(`/api/v1/indicators/overview?${base}&bucket=day`);
  const checks: Array<[string, number]> = [];
  for (const m of ['cases', 'open', 'overdue', 'closed', 'escalated', 'supervised', 'returned'] as const)
    checks.push([`${base}&measure=${m}`, body.totals[m]]);
  for (const c of body.children)
    for (const m of ['cases', 'open', 'overdue'] as const)
      checks.push([`region=${c.code}&${PERIOD}&measure=${m}`, c[m]]);
  for (const b of body.trend.filter((x: Json) => x.cases > 0))
    for (const m of ['cases', 'closed', 'overdue'] as const)
      checks.push([`region=330106&from=${b.first}&to=${b.last}&measure=${m}`, b[m]]);
  for (const c of body.categories.filter((x: Json) => x.code !== null))
    checks.push([`${base}&measure=cases&category=${c.code}`, c.cases]);
  for (const c of body.channels) checks.push([`${base}&measure=open&channel=${c.channel}`, c.open]);
  for (const g of body.grids) checks.push([`${base}&measure=overdue&grid=${g.code}`, g.overdue]);
  for (const d of body.departments) {
    checks.push([`${base}&measure=handled_on_time&department=${d.id}`, d.handled_on_time]);
    checks.push([`${base}&measure=should_handle&department=${d.id}`, d.should_handle]);
    checks.push([`${base}&measure=dispatched_to&department=${d.id}`, d.dispatched_to]);
    checks.push([`${base}&measure=returned&department=${d.id}`, d.returned]);
  }
  assert.ok(checks.length > 40);
  for (const [query, expected] of checks) {
    const res = await s.t.app.inject({
      url: `/api/v1/indicators/overview/cases?limit=1000&${query}`,
      headers: await s.headers('county.center'),
    });
    assert.equal(res.json().total, expected, query);
    assert.equal(res.json().items.length, expected, query);
  }
});

test('a grid of a community: no children, the grid named, its cases only', async () => {
  const body = await get(`/api/v1/indicators/overview?region=${SHANGBAO}&grid=${GRID}&${PERIOD}`);
  assert.deepEqual(body.children, []);
  assert.equal(body.grid.code, GRID);
  assert.equal(body.totals.cases, 5);
  const community = await get(`/api/v1/indicators/overview?region=${SHANGBAO}&${PERIOD}`);
  assert.deepEqual(
    community.children.map((c: Json) => [c.kind, c.code, c.cases]),
    [['grid', GRID, 5]],
  );
  const elsewhere = await s.t.app.inject({
    url: `/api/v1/indicators/overview?region=330106005&grid=${GRID}&${PERIOD}`,
    headers: await s.headers('county.center'),
  });
  assert.equal(elsewhere.statusCode, 404, 'a grid outside the region');
});

test('the overview is read with indicators.read over the region, and appears in /openapi.json', async () => {
  const resident = await s.t.app.inject({
    url: `/api/v1/indicators/overview?region=330106&${PERIOD}`,
    headers: await s.headers('resident'),
  });
  assert.equal(resident.statusCode, 403);
  const anonymous = await s.t.app.inject({
    url: `/api/v1/indicators/overview/cases?region=330106&${PERIOD}&measure=open`,
  });
  assert.equal(anonymous.statusCode, 401);
  const tooMany = await s.t.app.inject({
    url: '/api/v1/indicators/overview?region=330106&from=2020-01-01&to=2026-12-31&bucket=day',
    headers: await s.headers('county.center'),
  });
  assert.equal(tooMany.statusCode, 400, 'seven years by day is refused');
  const openapi = (await s.t.app.inject('/openapi.json')).json();
  assert.ok(openapi.paths['/api/v1/indicators/overview']);
  const measure = openapi.paths['/api/v1/indicators/overview/cases'].get.parameters.find(
    (p: Json) => p.name === 'measure',
  );
  assert.deepEqual(measure.schema.enum, [...OVERVIEW_MEASURES]);
});
