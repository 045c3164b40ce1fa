import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps } from '../../src/http/deps.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

// Small limits so that a few requests reach them; the window is the plugin's real minute, and no
// assertion depends on how long anything takes.
const PER_ACCOUNT = 6;
const PER_ADDRESS = 4;

let store: TestStore;
let app: FastifyInstance;
let unlimited: FastifyInstance;
let addresses = 0;
/** A fresh client address for each test, so that the counts of one do not reach the next. */
const freshAddress = () => `10.0.0.${++addresses}`;

before(async () => {
  store = await makeTestStore();
  await loadCounty(store);
  await seedDemoAccounts({ db: store.db, clock: fixedClock('2026-03-01T07:00:00Z') }, { password: 'demo' });
  const deps = makeAppDeps(store, fixedClock('2026-03-01T08:00:00Z'), 0);
  app = await buildApp(deps, {
    logLevel: 'silent',
    rateLimits: { perAccount: PER_ACCOUNT, perAddress: PER_ADDRESS },
  });
  unlimited = await buildApp(deps, { logLevel: 'silent' });
});
after(async () => {
  await app.close();
  await unlimited.close();
  await store.close();
});

async function logIn(username: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password: 'demo' },
    remoteAddress: freshAddress(),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().token as string;
}

const get = (url: string, remoteAddress: string, token?: string) =>
  app.inject({
    url,
    remoteAddress,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

test('an address without a session gets its limit per minute, then 429 request.rate_limited with Retry-After', async () => {
  const address = freshAddress();
  for (let i = 0; i < PER_ADDRESS; i++) {
    const res = await get('/api/v1/regions/330106', address);
    assert.equal(res.statusCode, 200, res.body);
    // Answers under the limit carry no rate-limit headers.
    assert.equal(res.headers['x-ratelimit-remaining'], undefined);
  }
  const refused = await get('/api/v1/regions/330106', address);
  assert.equal(refused.statusCode, 429);
  assert.match(String(refused.headers['content-type']), /^application\/json/);
  const { error } = refused.json();
  assert.equal(error.code, 'request.rate_limited');
  assert.match(error.message, /请求过于频繁/);
  assert.match(error.message, new RegExp(`每分钟最多 ${PER_ADDRESS} 次`));
  assert.match(error.message_en, /Too many requests/);
  assert.equal(error.details.limit, PER_ADDRESS);
  const retryAfter = Number(refused.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(error.details.retry_after, retryAfter);
  assert.equal(refused.headers['x-ratelimit-limit'], String(PER_ADDRESS));
  assert.equal(refused.headers['x-ratelimit-remaining'], '0');
  // Another address is counted apart.
  assert.equal((await get('/api/v1/regions/330106', freshAddress())).statusCode, 200);
});

test('a signed-in account is counted by account, whichever address it comes from, and apart from its address', async () => {
  const token = await logIn('county.center');
  const office = freshAddress();
  // The address's anonymous allowance used up first: the account still has all of its own.
  for (let i = 0; i < PER_ADDRESS; i++) await get('/api/v1/regions/330106', office);
  assert.equal((await get('/api/v1/regions/330106', office)).statusCode, 429);
  for (let i = 0; i < PER_ACCOUNT; i++) {
    // A hotline centre behind one NAT: the same account from two of its desks' addresses.
    const res = await get('/api/v1/me', i % 2 === 0 ? office : freshAddress(), token);
    assert.equal(res.statusCode, 200, res.body);
  }
  const refused = await get('/api/v1/me', freshAddress(), token);
  assert.equal(refused.statusCode, 429);
  assert.equal(refused.json().error.code, 'request.rate_limited');
  assert.equal(refused.json().error.details.limit, PER_ACCOUNT);
  // A colleague at the same address has an allowance of their own.
  const colleague = await logIn('township.handler');
  assert.equal((await get('/api/v1/me', office, colleague)).statusCode, 200);
});

test('a session cookie counts against its account too; an unknown token counts against the address', async () => {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/session/cookie',
    payload: { username: 'dept.urban', password: 'demo' },
    remoteAddress: freshAddress(),
  });
  assert.equal(login.statusCode, 200, login.body);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const desk = freshAddress();
  for (let i = 0; i < PER_ACCOUNT; i++) {
    const res = await app.inject({ url: '/api/v1/me', headers: { cookie }, remoteAddress: desk });
    assert.equal(res.statusCode, 200, res.body);
  }
  const refused = await app.inject({ url: '/api/v1/me', headers: { cookie }, remoteAddress: freshAddress() });
  assert.equal(refused.statusCode, 429);

  const stranger = freshAddress();
  const forged = 'A'.repeat(43);
  for (let i = 0; i < PER_ADDRESS; i++) {
    assert.equal((await get('/api/v1/me', stranger, forged)).statusCode, 401);
  }
  assert.equal((await get('/api/v1/me', stranger, forged)).statusCode, 429);
});

test('Open311 clients get the 429 in GeoReport’s error format, with Retry-After', async () => {
  const address = freshAddress();
  for (let i = 0; i < PER_ADDRESS; i++) {
    const res = await app.inject({ url: '/open311/v2/discovery.json', remoteAddress: address });
    assert.equal(res.statusCode, 200, res.body);
  }
  const json = await app.inject({ url: '/open311/v2/services.json', remoteAddress: address });
  assert.equal(json.statusCode, 429);
  const [first] = json.json() as Array<{ code: number; description: string }>;
  assert.equal(first!.code, 429);
  assert.match(first!.description, /请求过于频繁.*Too many requests.*\(request\.rate_limited\)/);
  assert.ok(Number(json.headers['retry-after']) >= 1);
  const xml = await app.inject({ url: '/open311/v2/services.xml', remoteAddress: address });
  assert.equal(xml.statusCode, 429);
  assert.match(xml.body, /<errors>\s*<error>\s*<code>429<\/code>/);
});

test('health checks and the built site’s files are not counted', async () => {
  const address = freshAddress();
  for (let i = 0; i < PER_ADDRESS * 3; i++) {
    assert.equal((await app.inject({ url: '/healthz', remoteAddress: address })).statusCode, 200);
    // Without a build the site answers 503; what matters is that it is never a 429.
    assert.notEqual((await app.inject({ url: '/', remoteAddress: address })).statusCode, 429);
  }
  assert.equal((await get('/api/v1/regions/330106', address)).statusCode, 200);
});

test('the log-in lockout is unchanged beside the limits: five wrong passwords lock the account', async () => {
  let last;
  for (let i = 0; i < 6; i++) {
    last = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'grid.worker', password: 'wrong' },
      // Each attempt from its own address, so that only the lockout can refuse.
      remoteAddress: freshAddress(),
    });
  }
  assert.equal(last!.statusCode, 429);
  assert.equal(last!.json().error.code, 'auth.locked');
});

test('an app built without limits (tests, benches) counts nothing', async () => {
  for (let i = 0; i < PER_ADDRESS * 5; i++) {
    const res = await unlimited.inject({ url: '/api/v1/regions/330106', remoteAddress: '10.9.9.9' });
    assert.equal(res.statusCode, 200);
  }
});

test('configuration: 600 per account and 1,200 per address by default, 0 turns a limit off', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.rateLimitPerMinute, 600);
  assert.equal(defaults.rateLimitAddressPerMinute, 1200);
  assert.equal(defaults.trustProxy, false);
  const off = loadConfig({ SHANZHI_RATE_LIMIT_PER_MINUTE: '0', SHANZHI_RATE_LIMIT_ADDRESS_PER_MINUTE: '0' });
  assert.equal(off.rateLimitPerMinute, 0);
  assert.equal(off.rateLimitAddressPerMinute, 0);
  assert.equal(loadConfig({ SHANZHI_TRUST_PROXY: '1' }).trustProxy, 1);
  assert.equal(loadConfig({ SHANZHI_TRUST_PROXY: '10.0.0.0/8' }).trustProxy, '10.0.0.0/8');
});

test('behind a trusted proxy the client address comes from X-Forwarded-For', async () => {
  const proxied = await buildApp(makeAppDeps(store, fixedClock('2026-03-01T08:00:00Z'), 0), {
    logLevel: 'silent',
    rateLimits: { perAccount: PER_ACCOUNT, perAddress: PER_ADDRESS },
    trustProxy: 1,
  });
  try {
    const via = (client: string) =>
      proxied.inject({
        url: '/api/v1/regions/330106',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': client },
      });
    for (let i = 0; i < PER_ADDRESS; i++) assert.equal((await via('203.0.113.7')).statusCode, 200);
    assert.equal((await via('203.0.113.7')).statusCode, 429);
    // Another client through the same proxy is not refused with it.
    assert.equal((await via('203.0.113.8')).statusCode, 200);
  } finally {
    await proxied.close();
  }
});
