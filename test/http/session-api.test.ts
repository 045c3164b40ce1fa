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

async function logIn(username: string, password = 'demo') {
  return t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
}
async function tokenOf(username: string): Promise<string> {
  return (await logIn(username)).json().token;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('POST /api/v1/session answers a token, its expiry and the user with its scope', async () => {
  const res = await logIn('county.center');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.match(body.token, /^[\w-]{43}$/);
  assert.equal(body.expires_at, '2026-03-01T20:00:00.000Z');
  assert.deepEqual(body.user, {
    username: 'county.center',
    display_name: '西湖区指挥中心',
    roles: ['county_centre'],
    scope: { code: '330106000000', level: 'county', name: '西湖区' },
    department_id: null,
  });
});

test('a wrong password and an unknown user are the same 401 in Chinese and English', async () => {
  for (const res of [await logIn('admin', 'wrong'), await logIn('nobody', 'wrong')]) {
    assert.equal(res.statusCode, 401);
    const { error } = res.json();
    assert.equal(error.code, 'auth.invalid_credentials');
    assert.equal(error.message, '用户名或密码错误');
    assert.equal(error.message_en, 'Wrong username or password');
  }
});

test('GET /api/v1/me without a token, or with a bad one, is 401 auth.required', async () => {
  for (const headers of [{}, bearer('nonsense'), { authorization: 'Basic YWRtaW46ZGVtbw==' }]) {
    const res = await t.app.inject({ url: '/api/v1/me', headers });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'auth.required');
  }
});

test('GET /api/v1/me tells the caller who it is and what it may do in its scope', async () => {
  const res = await t.app.inject({ url: '/api/v1/me', headers: bearer(await tokenOf('dept.urban')) });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.user.department_id, 'dept-330106-urban');
  assert.ok(body.allowed_actions.includes('case.act'));
  assert.ok(!body.allowed_actions.includes('user.manage'));
});

test('a department handler creating a user is 403 with the reason in Chinese and English', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(await tokenOf('dept.urban')),
    payload: {
      username: 'x.y',
      display_name: 'X',
      password: 'long enough',
      roles: ['analyst'],
      scope: '330106',
    },
  });
  assert.equal(res.statusCode, 403);
  const { error } = res.json();
  assert.equal(error.code, 'access.role_forbidden');
  assert.match(error.message, /无权操作.*department_handler.*user\.manage/);
  assert.match(
    error.message_en,
    /Not allowed: your roles \(department_handler\) may not perform user\.manage/,
  );
});

test('an administrator creates and lists users in its scope; the creation is audited', async () => {
  const headers = bearer(await tokenOf('admin'));
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers,
    payload: {
      username: 'analyst.xihu',
      display_name: '西湖区分析员',
      password: 'long enough',
      roles: ['analyst'],
      scope: '330106',
    },
  });
  assert.equal(created.statusCode, 201);
  const user = created.json();
  assert.equal(user.scope.code, '330106000000');
  assert.equal('password_hash' in user, false);
  const list = await t.app.inject({ url: '/api/v1/users?limit=100', headers });
  assert.equal(list.statusCode, 200);
  assert.ok(list.json().items.some((u: { username: string }) => u.username === 'analyst.xihu'));
  const audit = await t.store.db
    .selectFrom('audit_log')
    .select(['action', 'actor_username'])
    .where('target_id', '=', user.id)
    .execute();
  assert.deepEqual(audit, [{ action: 'user.create', actor_username: 'admin' }]);
});

test('an administrator of a township may not create a county-wide user: out of scope', async () => {
  const admin = bearer(await tokenOf('admin'));
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin,
    payload: {
      username: 'beishan.admin',
      display_name: '北山街道管理员',
      password: 'long enough',
      roles: ['admin'],
      scope: '330106002',
    },
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer((await logIn('beishan.admin', 'long enough')).json().token),
    payload: {
      username: 'too.wide',
      display_name: 'W',
      password: 'long enough',
      roles: ['analyst'],
      scope: '330106',
    },
  });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'access.out_of_scope');
  assert.match(res.json().error.message, /330106000000 不在您的管辖范围（330106002000）内/);
});

test('DELETE /api/v1/session logs out: the token stops working', async () => {
  const token = await tokenOf('grid.worker');
  const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: bearer(token) });
  assert.equal(out.statusCode, 200);
  const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(token) });
  assert.equal(me.statusCode, 401);
});

test('the session and user routes are in the OpenAPI document', async () => {
  const doc = (await t.app.inject('/openapi.json')).json();
  assert.ok(doc.paths['/api/v1/session'].post && doc.paths['/api/v1/session'].delete);
  assert.ok(doc.paths['/api/v1/me'].get && doc.paths['/api/v1/users'].post);
});
