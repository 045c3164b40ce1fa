import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { GRANTS } from '../../src/core/access/permissions.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { seedDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { seedDemoResponsibility } from '../../src/demo/demo-responsibility.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { makeCase } from '../helpers/cases.ts';
import { loadCounty } from '../helpers/regions.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
let t: TestApp;
let residentId: string;

before(async () => {
  t = await makeTestApp(
    async (store) => {
      await loadCounty(store, '330106');
      await seedBaseTaxonomy({ store, clock }, '33');
      await seedDemoOrganisation({ db: store.db, clock });
      await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
      await seedDemoResponsibility({ store, clock, actor: { user_id: null, username: 'system' } });
    },
    { clock },
  );
  const row = await t.store.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'resident')
    .executeTakeFirstOrThrow();
  residentId = row.id;
});
after(() => t.close());

// Sessions last 12 hours of the app's clock: moving the clock logs everyone in again.
const tokens = new Map<string, string>();
function at(iso: string) {
  clock.set(iso);
  tokens.clear();
}

async function as(username: string): Promise<{ authorization: string }> {
  let token = tokens.get(username);
  if (!token) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password: 'demo' },
    });
    assert.equal(res.statusCode, 200, res.body);
    token = res.json().token as string;
    tokens.set(username, token);
  }
  return { authorization: `Bearer ${token}` };
}

async function view(username: string, id: string) {
  const res = await t.app.inject({ url: `/api/v1/cases/${id}`, headers: await as(username) });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

async function post(username: string, id: string, payload: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${id}/actions`,
    headers: await as(username),
    payload,
  });
}

/** One step at the case's current version; the answer is the updated case. */
async function act(username: string, id: string, payload: Record<string, unknown>) {
  const { version } = await view('county.center', id);
  const res = await post(username, id, { ...payload, expected_version: version });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

interface Listed {
  id: string;
  overdue: boolean;
  stage_deadline: string | null;
  reporter: { name: string | null; phone: string | null; anonymous: boolean };
}

async function list(username: string, query: string) {
  const res = await t.app.inject({ url: `/api/v1/cases?${query}`, headers: await as(username) });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { items: Listed[]; total: number; next_cursor: string | null };
}

const actions = (body: { timeline: Array<{ action: string }> }) => body.timeline.map((e) => e.action);

test('a normal case goes over HTTP from report to closure and the resident rates it', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase(
    { db: t.store.db, keyring: t.store.keyring, clock },
    { reporter_user_id: residentId },
  );
  let body = await act('county.center', id, { action: 'register' });
  assert.equal(body.status, 'registered');
  assert.equal(body.version, 2);
  assert.equal(body.deadlines.stage_deadline, '2026-03-02T02:00:00.000Z'); // 1 work hour: 10:00
  assert.equal(body.deadlines.next_check_at, '2026-03-02T01:30:00.000Z');

  at('2026-03-02T09:30:00+08:00');
  body = await act('county.center', id, { action: 'dispatch' });
  assert.equal(body.status, 'dispatched');
  assert.equal(body.owner_department_id, 'dept-330106-urban');
  const handling = body.deadlines.handling_deadline;
  assert.ok(handling > '2026-03-02T01:30:00.000Z');
  assert.equal(body.deadlines.stage_deadline, handling);
  assert.ok(body.assignees.some((a: { department_id: string; role: string }) => a.role === 'lead'));
  assert.deepEqual((await view('dept.urban', id)).allowed_actions, ['accept', 'return', 'escalate']);

  body = await act('dept.urban', id, { action: 'accept' });
  assert.equal(body.status, 'handling');
  assert.equal(body.deadlines.stage_deadline, handling, 'accepting keeps the handling deadline');
  await act('dept.urban', id, { action: 'feedback', evidence: ['after.jpg'] });
  body = await act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
  assert.equal(body.status, 'awaiting_verification');
  assert.equal(body.deadlines.stage_deadline, '2026-03-03T01:30:00.000Z'); // 1 work day
  await act('grid.worker', id, { action: 'verify_pass' });
  body = await act('county.center', id, { action: 'close' });
  assert.equal(body.status, 'closed');
  assert.equal(body.deadlines.stage_deadline, null);
  assert.equal(body.closed_at, '2026-03-02T01:30:00.000Z');

  body = await act('resident', id, { action: 'rate', rating: 5, fixed: true });
  assert.deepEqual(body.rating, { score: 5, fixed: true, at: '2026-03-02T01:30:00.000Z' });
  assert.equal(body.reporter.phone, '13800138000', 'the reporter sees their own data');
  assert.deepEqual(actions(body), [
    'report',
    'register',
    'dispatch',
    'accept',
    'feedback',
    'feedback',
    'verify_pass',
    'close',
    'rate',
  ]);
  assert.deepEqual(
    body.timeline.map((e: { version: number }) => e.version),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
});

test('a returned case goes back to registered and a community handler re-dispatches it with a reason', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock });
  await act('community.handler', id, { action: 'register' });
  await act('community.handler', id, { action: 'dispatch' });
  at('2026-03-02T09:20:00+08:00');
  const missing = await post('dept.urban', id, { action: 'return', expected_version: 3 });
  assert.equal(missing.statusCode, 422);
  assert.equal(missing.json().error.code, 'case.reason_required');
  let body = await act('dept.urban', id, { action: 'return', reason: '不属于城管职责' });
  assert.equal(body.status, 'registered');
  assert.equal(body.counts.returns, 1);
  // A new dispatch clock (1 work hour) starts at the return.
  assert.equal(body.deadlines.stage_started_at, '2026-03-02T01:20:00.000Z');
  assert.equal(body.deadlines.stage_deadline, '2026-03-02T02:20:00.000Z');
  body = await act('community.handler', id, {
    action: 'dispatch',
    department_id: 'dept-330106-market',
    reason: '涉及经营行为',
  });
  assert.equal(body.status, 'dispatched');
  assert.equal(body.owner_department_id, 'dept-330106-market');
  assert.equal(body.responsibility.dispatch_overridden, true);
  assert.equal(body.deadlines.stage_deadline, body.deadlines.handling_deadline);
  assert.deepEqual(actions(body), ['report', 'register', 'dispatch', 'return', 'dispatch']);
  assert.deepEqual(
    body.timeline.map((e: { to: string }) => e.to),
    ['reported', 'registered', 'dispatched', 'registered', 'dispatched'],
  );
});

test('two steps sent with the same expected_version: one succeeds, the other is a 409 version conflict', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock });
  const [a, b] = [
    await post('county.center', id, { action: 'register', expected_version: 1 }),
    await post('township.handler', id, { action: 'void', reason: '重复', expected_version: 1 }),
  ];
  assert.equal(a.statusCode, 200, a.body);
  assert.equal(b.statusCode, 409, b.body);
  assert.equal(b.json().error.code, 'case.version_conflict');
  assert.match(b.json().error.message, /版本/);
  assert.match(b.json().error.message_en, /version 2, you sent 1/);
  const body = await view('county.center', id);
  assert.equal(body.status, 'registered');
  assert.deepEqual(actions(body), ['report', 'register']);
});

test('an action the stage does not allow is a 422 case.invalid_transition in Chinese and English', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock });
  const res = await post('county.center', id, { action: 'close', expected_version: 1 });
  assert.equal(res.statusCode, 422, res.body);
  const { error } = res.json();
  assert.equal(error.code, 'case.invalid_transition');
  assert.match(error.message, /您不能执行/);
  assert.match(error.message_en, /not allowed/);
  const unknown = await post('county.center', id, { action: 'teleport', expected_version: 1 });
  assert.equal(unknown.statusCode, 400);
  const body = await view('county.center', id);
  assert.equal(body.version, 1);
  assert.deepEqual(actions(body), ['report']);
  assert.equal(body.deadlines.stage_deadline, null);
});

test('dept.market may neither act on nor read a case owned by 城管: both answer as for a case that does not exist', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock });
  await act('county.center', id, { action: 'register' });
  await act('county.center', id, { action: 'dispatch' });
  // Naming the owning department (or the case's version) would tell a stranger the case exists.
  const res = await post('dept.market', id, { action: 'accept', expected_version: 3 });
  assert.equal(res.statusCode, 404, res.body);
  assert.equal(res.json().error.code, 'case.not_found');
  assert.doesNotMatch(res.body, /dept-330106-urban/);
  const read = await t.app.inject({ url: `/api/v1/cases/${id}`, headers: await as('dept.market') });
  assert.equal(read.statusCode, 404);
  assert.equal(read.json().error.code, 'case.not_found');
  assert.deepEqual(actions(await view('county.center', id)), ['report', 'register', 'dispatch']);
});

test('without a token every case route answers 401', async () => {
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock });
  for (const req of [
    { method: 'GET' as const, url: '/api/v1/cases' },
    { method: 'GET' as const, url: `/api/v1/cases/${id}` },
    {
      method: 'POST' as const,
      url: `/api/v1/cases/${id}/actions`,
      payload: { action: 'register', expected_version: 1 },
    },
  ]) {
    const res = await t.app.inject(req);
    assert.equal(res.statusCode, 401, `${req.method} ${req.url}`);
    assert.equal(res.json().error.code, 'auth.required');
  }
});

test('lists filter by region, status, category and overdue, and show each caller only its cases', async () => {
  // A week of its own, so that the cases of the other tests stay outside the window.
  at('2026-04-07T09:00:00+08:00'); // Tuesday
  const window = 'from=2026-04-07T00:00:00%2B08:00&to=2026-04-08T00:00:00%2B08:00';
  const db = t.store.db;
  const mine = await makeCase({ db, keyring: t.store.keyring, clock }, { reporter_user_id: residentId });
  at('2026-04-07T09:05:00+08:00');
  const xixi = await makeCase(
    { db, keyring: t.store.keyring, clock },
    { region_code: '330106004053', category_code: 'SJ0201', stage_deadline: '2026-04-07T03:00:00.000Z' },
  );
  at('2026-04-07T09:10:00+08:00');
  const other = await makeCase({ db, keyring: t.store.keyring, clock }, { category_code: 'SJ0103' });
  await act('county.center', mine.id, { action: 'register' });
  await act('county.center', mine.id, { action: 'dispatch' });
  await act('county.center', other.id, { action: 'register' });
  await act('county.center', other.id, {
    action: 'dispatch',
    department_id: 'dept-330106-market',
    reason: '涉及经营行为',
  });

  const all = await list('county.center', window);
  assert.equal(all.total, 3);
  assert.deepEqual(
    all.items.map((c) => c.id),
    [other.id, xixi.id, mine.id],
    'newest report first',
  );
  assert.deepEqual(
    (await list('county.center', `${window}&region=330106004`)).items.map((c) => c.id),
    [xixi.id],
  );
  assert.deepEqual((await list('county.center', `${window}&region=330106002051`)).total, 2);
  assert.deepEqual(
    (await list('county.center', `${window}&status=reported`)).items.map((c) => c.id),
    [xixi.id],
  );
  assert.equal((await list('county.center', `${window}&status=reported,dispatched`)).total, 3);
  assert.equal((await list('county.center', `${window}&status=reported&status=dispatched`)).total, 3);
  assert.deepEqual(
    (await list('county.center', `${window}&category=SJ01`)).items.map((c) => c.id),
    [other.id, mine.id],
    'a category and its subcategories',
  );
  assert.equal((await list('county.center', `${window}&category=SJ0103`)).total, 1);
  assert.equal((await list('county.center', `${window}&owner_department=dept-330106-market`)).total, 1);

  // Pagination: a cursor continues where the page stopped; the total stays.
  const first = await list('county.center', `${window}&limit=2`);
  assert.equal(first.total, 3);
  assert.equal(first.items.length, 2);
  const second = await list('county.center', `${window}&limit=2&cursor=${first.next_cursor}`);
  assert.deepEqual(
    second.items.map((c) => c.id),
    [mine.id],
  );
  assert.equal(second.next_cursor, null);
  assert.deepEqual(
    (await list('county.center', `${window}&limit=1&offset=1`)).items.map((c) => c.id),
    [xixi.id],
  );
  const tooMany = await t.app.inject({
    url: '/api/v1/cases?limit=201',
    headers: await as('county.center'),
  });
  assert.equal(tooMany.statusCode, 400);

  // Scope: a department sees its own cases, a community its community, a resident what it reported.
  assert.deepEqual(
    (await list('dept.urban', window)).items.map((c) => c.id),
    [mine.id],
  );
  assert.deepEqual(
    (await list('dept.market', window)).items.map((c) => c.id),
    [other.id],
  );
  assert.deepEqual(
    (await list('community.handler', window)).items.map((c) => c.id),
    [other.id, mine.id],
  );
  const residentList = await list('resident', window);
  assert.deepEqual(
    residentList.items.map((c) => c.id),
    [mine.id],
  );
  assert.equal(residentList.items[0]!.reporter.phone, '13800138000');

  // Overdue: the two dispatched cases' handling clocks (days) and the report's registration
  // clock (due 11:00) all run; by the next day only the registration limit has run out.
  assert.equal((await list('county.center', `${window}&overdue=true`)).total, 0);
  at('2026-04-08T12:00:00+08:00');
  const overdue = await list('county.center', `${window}&overdue=true`);
  assert.deepEqual(
    overdue.items.map((c) => c.id),
    [xixi.id],
  );
  assert.equal(overdue.items[0]!.overdue, true);
  assert.equal(overdue.items[0]!.stage_deadline, '2026-04-07T03:00:00.000Z');
  assert.equal(all.items.find((c) => c.id === other.id)!.overdue, false);
});

test('a role without the personal-data permission sees the reporter masked in lists and in the case', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase(
    { db: t.store.db, keyring: t.store.keyring, clock },
    { region_code: '330106004055' },
  );
  // No demo role reads cases without personal data today; the rule is checked by withholding it.
  const grants = GRANTS as Record<string, readonly string[]>;
  const saved = grants.county_centre!;
  grants.county_centre = saved.filter((a) => a !== 'case.read_personal_data');
  try {
    const body = await view('county.center', id);
    assert.deepEqual(body.reporter, { name: '张**', phone: '138****8000', anonymous: false });
    const listed = await list('county.center', 'region=330106004055');
    assert.deepEqual(listed.items[0]!.reporter, { name: '张**', phone: '138****8000', anonymous: false });
  } finally {
    grants.county_centre = saved;
  }
  const listed = await list('county.center', 'region=330106004055');
  assert.equal(listed.items[0]!.reporter.phone, '13800138000');
});
