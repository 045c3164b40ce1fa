import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { authenticate } from '../../src/accounts/authenticate.ts';
import { createUser } from '../../src/accounts/create-user.ts';
import { FIRST_LOCK_MS, lockDuration, logIn, MAX_LOCK_MS } from '../../src/accounts/log-in.ts';
import { logOut } from '../../src/accounts/log-out.ts';
import { SESSION_TTL_MS } from '../../src/accounts/sessions.ts';
import { DEMO_ACCOUNTS, seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { readJson } from '../../src/db/dialect.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { loadCounty } from '../helpers/regions.ts';

let store: TestStore;
const clock = fixedClock('2026-03-01T08:00:00Z');
const PASSWORD = 'correct horse battery';

before(async () => {
  store = await makeTestStore();
  await loadCounty(store);
});
after(() => store.close());

async function makeUser(username: string) {
  return createUser(
    { db: store.db, clock, actor: null },
    { username, display_name: username, password: PASSWORD, roles: ['grid_worker'], scope: '330106002051' },
  );
}

const rejects = (promise: Promise<unknown>, code: string) =>
  assert.rejects(promise, (e: { code?: string }) => e.code === code);

test('the stored password hash is salted scrypt and never contains the password', async () => {
  await makeUser('hash.check');
  await makeUser('hash.check2');
  const rows = await store.db
    .selectFrom('users')
    .select('password_hash')
    .where('username', 'in', ['hash.check', 'hash.check2'])
    .execute();
  for (const { password_hash } of rows) {
    assert.match(password_hash, /^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    assert.ok(!password_hash.includes(PASSWORD));
  }
  assert.notEqual(rows[0]!.password_hash, rows[1]!.password_hash, 'each user has its own salt');
});

test('a password shorter than 8 characters is refused, and so is a taken username', async () => {
  await rejects(
    createUser(
      { db: store.db, clock, actor: null },
      { username: 'short.pw', display_name: 'x', password: 'demo', roles: ['resident'], scope: '33' },
    ),
    'user.password_too_short',
  );
  await makeUser('taken');
  await rejects(makeUser('taken'), 'user.username_taken');
});

test('a user needs an existing scope region', async () => {
  await rejects(
    createUser(
      { db: store.db, clock, actor: null },
      { username: 'nowhere', display_name: 'x', password: PASSWORD, roles: ['analyst'], scope: '110000' },
    ),
    'region.not_found',
  );
});

test('log-in with the right password opens a session whose token authenticates the actor', async () => {
  await makeUser('login.ok');
  const { token, expires_at, user } = await logIn(
    { db: store.db, clock },
    { username: 'login.ok', password: PASSWORD },
  );
  assert.equal(user.scope.name, '上保社区');
  assert.equal(expires_at, new Date(clock.now().getTime() + SESSION_TTL_MS).toISOString());
  const actor = await authenticate({ db: store.db, clock }, token);
  assert.equal(actor.username, 'login.ok');
  assert.deepEqual(actor.roles, ['grid_worker']);
  assert.deepEqual(actor.scope, { code: '330106002051', level: 'community' });
  const stored = await store.db.selectFrom('sessions').select('token_hash').execute();
  assert.ok(stored.every((s) => s.token_hash !== token && /^[0-9a-f]{64}$/.test(s.token_hash)));
});

test('a wrong password and an unknown username give the same error', async () => {
  await makeUser('login.bad');
  await rejects(
    logIn({ db: store.db, clock }, { username: 'login.bad', password: 'wrong' }),
    'auth.invalid_credentials',
  );
  await rejects(
    logIn({ db: store.db, clock }, { username: 'no.such', password: 'wrong' }),
    'auth.invalid_credentials',
  );
});

test('the lock grows: 1 minute after 5 failures, then doubling, at most an hour', () => {
  assert.equal(lockDuration(4), 0);
  assert.equal(lockDuration(5), FIRST_LOCK_MS);
  assert.equal(lockDuration(6), 2 * FIRST_LOCK_MS);
  assert.equal(lockDuration(7), 4 * FIRST_LOCK_MS);
  assert.equal(lockDuration(30), MAX_LOCK_MS);
});

test('five failures lock the account even for the right password; the next failure locks longer', async () => {
  const c = fixedClock('2026-03-02T08:00:00Z');
  const deps = { db: store.db, clock: c };
  await makeUser('lock.me');
  for (let i = 0; i < 5; i++) {
    await rejects(logIn(deps, { username: 'lock.me', password: 'nope' }), 'auth.invalid_credentials');
  }
  await assert.rejects(
    logIn(deps, { username: 'lock.me', password: PASSWORD }),
    (e: { code?: string; details?: { retry_at?: string } }) => {
      assert.equal(e.code, 'auth.locked');
      assert.equal(e.details?.retry_at, '2026-03-02T08:01:00.000Z');
      return true;
    },
  );
  c.advance(FIRST_LOCK_MS);
  await rejects(logIn(deps, { username: 'lock.me', password: 'nope' }), 'auth.invalid_credentials');
  c.advance(FIRST_LOCK_MS);
  await rejects(logIn(deps, { username: 'lock.me', password: PASSWORD }), 'auth.locked');
  c.advance(FIRST_LOCK_MS);
  const ok = await logIn(deps, { username: 'lock.me', password: PASSWORD });
  assert.equal(ok.user.username, 'lock.me');
  const row = await store.db
    .selectFrom('users')
    .select(['failed_attempts', 'locked_until'])
    .where('username', '=', 'lock.me')
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { failed_attempts: 0, locked_until: null });
});

test('a session ends 12 hours after log-in, whatever the activity', async () => {
  const c = fixedClock('2026-03-03T08:00:00Z');
  await makeUser('expire.me');
  const { token } = await logIn({ db: store.db, clock: c }, { username: 'expire.me', password: PASSWORD });
  c.advance(SESSION_TTL_MS - 1000);
  await authenticate({ db: store.db, clock: c }, token);
  c.advance(1000);
  await rejects(authenticate({ db: store.db, clock: c }, token), 'auth.required');
});

test('logging out revokes the token; an unknown token is refused', async () => {
  await makeUser('logout.me');
  const { token } = await logIn({ db: store.db, clock }, { username: 'logout.me', password: PASSWORD });
  await logOut({ db: store.db, clock }, token);
  await rejects(authenticate({ db: store.db, clock }, token), 'auth.required');
  await rejects(authenticate({ db: store.db, clock }, 'not-a-token'), 'auth.required');
  await logOut({ db: store.db, clock }, token);
});

test('creating users, logging in and out and failing are all in the audit log, with who and when', async () => {
  const admin = await createUser(
    { db: store.db, clock, actor: null },
    { username: 'audit.admin', display_name: 'A', password: PASSWORD, roles: ['admin'], scope: '33' },
  );
  const adminActor = await authenticate(
    { db: store.db, clock },
    (await logIn({ db: store.db, clock }, { username: 'audit.admin', password: PASSWORD })).token,
  );
  const created = await store.db
    .transaction()
    .execute((tx) =>
      createUser(
        { db: tx, clock, actor: adminActor },
        { username: 'audited', display_name: 'B', password: PASSWORD, roles: ['analyst'], scope: '330106' },
      ),
    );
  await rejects(
    logIn({ db: store.db, clock }, { username: 'audited', password: 'wrong pw' }),
    'auth.invalid_credentials',
  );
  const rows = await store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('target_id', 'in', [admin.id, created.id])
    .orderBy('id')
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.action, r.actor_username, r.target_id]),
    [
      ['user.create', 'system', admin.id],
      ['session.log_in', 'audit.admin', admin.id],
      ['user.create', 'audit.admin', created.id],
      ['session.log_in_failed', 'audited', created.id],
    ],
  );
  assert.equal(rows[2]!.actor_user_id, admin.id);
  assert.deepEqual(readJson(rows[2]!.details), {
    username: 'audited',
    roles: ['analyst'],
    scope: '330106000000',
    department_id: null,
  });
  const everything = JSON.stringify(await store.db.selectFrom('audit_log').selectAll().execute());
  assert.ok(!everything.includes(PASSWORD) && !everything.includes('wrong pw'));
});

test('the demo accounts of the contract log in with the demo password', async () => {
  const seeded = await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
  assert.deepEqual(
    seeded.map((a) => a.username),
    [
      'admin',
      'province.center',
      'county.center',
      'township.handler',
      'community.handler',
      'grid.worker',
      'dept.urban',
      'dept.market',
      'resident',
    ],
  );
  assert.equal(DEMO_ACCOUNTS.length, 9);
  const urban = await logIn({ db: store.db, clock }, { username: 'dept.urban', password: 'demo' });
  assert.equal(urban.user.department_id, 'dept-330106-urban');
  assert.equal(urban.user.scope.name, '西湖区');
  await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
});
