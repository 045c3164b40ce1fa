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

interface CookieSession {
  cookie: string;
  csrf: string;
  setCookie: string;
}

async function signIn(username: string, password = 'demo'): Promise<CookieSession> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session/cookie',
    payload: { username, password },
  });
  assert.equal(res.statusCode, 200, res.body);
  const setCookie = String(res.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0]!, csrf: res.json().csrf_token, setCookie };
}

const newUser = (username: string) => ({
  username,
  display_name: '测试分析员',
  password: 'long enough',
  roles: ['analyst'],
  scope: '330106',
});

async function userExists(username: string): Promise<boolean> {
  const row = await t.store.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  return row !== undefined;
}

test('the console signs in with a cookie the page cannot read: HttpOnly, SameSite=Strict, no token in the body', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session/cookie',
    payload: { username: 'county.center', password: 'demo' },
  });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal('token' in body, false);
  assert.match(body.csrf_token, /^[\w-]{43}$/);
  assert.equal(body.user.username, 'county.center');
  const cookie = String(res.headers['set-cookie']);
  assert.match(cookie, /^shanzhi_session=[\w-]{43}; /);
  for (const part of ['Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=43200']) {
    assert.ok(cookie.split('; ').includes(part), `${part} in ${cookie}`);
  }
  assert.ok(!cookie.includes('Secure'), 'no Secure flag over plain HTTP (a county on its LAN)');
  assert.ok(!cookie.includes(body.csrf_token), 'the CSRF token is not the session token');
});

test('reads need only the cookie; GET /api/v1/me gives a reloaded page its CSRF token again', async () => {
  const session = await signIn('dept.urban');
  const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `lang=zh; ${session.cookie}` } });
  assert.equal(me.statusCode, 200, me.body);
  assert.equal(me.json().user.username, 'dept.urban');
  assert.equal(me.json().csrf_token, session.csrf);
  // A bearer client is told nothing of CSRF.
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username: 'dept.urban', password: 'demo' },
  });
  const bearerMe = await t.app.inject({
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${login.json().token}` },
  });
  assert.equal(bearerMe.statusCode, 200);
  assert.equal('csrf_token' in bearerMe.json(), false);
});

test('a change through the cookie without its CSRF token is refused in both languages and writes nothing', async () => {
  const session = await signIn('admin');
  for (const csrf of [undefined, 'forged', `${session.csrf}x`]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: session.cookie, ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) },
      payload: newUser('csrf.victim'),
    });
    assert.equal(res.statusCode, 403, res.body);
    const { error } = res.json();
    assert.equal(error.code, 'auth.csrf_failed');
    assert.match(error.message, /X-CSRF-Token/);
    assert.match(error.message_en, /X-CSRF-Token/);
  }
  assert.equal(await userExists('csrf.victim'), false);
  // A client cannot pass the check by claiming it failed elsewhere.
  const claimed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'x-shanzhi-csrf-refused': '1' },
    payload: newUser('csrf.allowed'),
  });
  assert.equal(claimed.statusCode, 201, claimed.body);
});

test('with the CSRF token the cookie session makes changes; bearer tokens need none', async () => {
  const session = await signIn('admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    payload: newUser('cookie.made'),
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(await userExists('cookie.made'), true);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username: 'admin', password: 'demo' },
  });
  const viaBearer = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    // A bearer token wins over a cookie sent beside it, and needs no CSRF token.
    headers: {
      authorization: `Bearer ${login.json().token}`,
      cookie: 'shanzhi_session=somebodyelsessession',
    },
    payload: newUser('bearer.made'),
  });
  assert.equal(viaBearer.statusCode, 201, viaBearer.body);
});

test('signing out ends the session and clears the cookie; it needs the CSRF token too', async () => {
  const session = await signIn('community.handler');
  const forged = await t.app.inject({
    method: 'DELETE',
    url: '/api/v1/session',
    headers: { cookie: session.cookie },
  });
  assert.equal(forged.statusCode, 403);
  assert.equal(
    (await t.app.inject({ url: '/api/v1/me', headers: { cookie: session.cookie } })).statusCode,
    200,
  );

  const out = await t.app.inject({
    method: 'DELETE',
    url: '/api/v1/session',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
  });
  assert.equal(out.statusCode, 200, out.body);
  const cleared = String(out.headers['set-cookie']);
  assert.match(cleared, /^shanzhi_session=; /);
  assert.ok(cleared.includes('Max-Age=0'));
  const after = await t.app.inject({ url: '/api/v1/me', headers: { cookie: session.cookie } });
  assert.equal(after.statusCode, 401);
  assert.equal(after.json().error.code, 'auth.required');
});

test('the cookie sign-in shows the lockout as the bearer one does: 429 with the time to retry', async () => {
  for (let i = 0; i < 5; i++) {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/cookie',
      payload: { username: 'grid.worker', password: 'wrong' },
    });
  }
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session/cookie',
    payload: { username: 'grid.worker', password: 'demo' },
  });
  assert.equal(res.statusCode, 429, res.body);
  assert.equal(res.json().error.code, 'auth.locked');
  assert.match(res.json().error.message, /锁定/);
  assert.equal(res.headers['set-cookie'], undefined);
});
