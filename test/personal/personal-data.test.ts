import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { verifyAudit } from '../../src/audit/verify-audit.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Store } from '../../src/db/database.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { seedXihu } from '../helpers/actors.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';

/**
 * Residents' personal data (docs/personal-data.md): sealed at rest apart from the case facts, found
 * by phone through a keyed hash, downloaded and erased by the person, the case and its figures kept.
 */
const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
let t: TestApp;

before(async () => {
  t = await makeTestApp(
    async (store) => {
      await seedXihu(store, clock);
      await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
      const [community] = (await listWithin(store.db, '330106', 'community')).map((c) => c.code) as [string];
      await importGrids({ store, clock }, collection(gridFeature(community, 1, square(120.1, 30.2))));
    },
    { clock },
  );
});
after(() => t.close());

async function as(username: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password: 'demo' },
  });
  assert.equal(res.statusCode, 200, res.body);
  return { authorization: `Bearer ${res.json().token as string}` };
}

let serial = 0;
/** A report through intake: signed in when headers are given, else with a reporter key. */
async function report(reporter: Record<string, string>, headers: Record<string, string> = {}) {
  serial += 1;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers,
    payload: {
      channel: 'web',
      category: 'SJ0102',
      title: `垃圾堆放 ${serial}`,
      description: '小区门口有暴露垃圾',
      location: { lon: 120.105 + serial * 1e-5, lat: 30.205987, address: '文三路 100 号' },
      reporter,
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; reference: string; reporter_key?: string };
}

/** Every row of every table as text (the search index's shadow tables aside). */
async function everyStoredText(store: Store): Promise<string> {
  const names =
    store.traits.name === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'cases_fts%' AND name NOT LIKE 'sqlite_%'`.execute(
            store.db,
          )
        ).rows
      : (
          await sql<{
            name: string;
          }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(
            store.db,
          )
        ).rows;
  const parts: string[] = [];
  for (const { name } of names) {
    const rows = await sql`SELECT * FROM ${sql.id(name)}`.execute(store.db);
    parts.push(JSON.stringify(rows.rows));
  }
  return parts.join('\n');
}

test('name and phone are stored nowhere in the clear; every value names its key; the case page opens them', async () => {
  const c = await report({ name: '欧阳明月', phone: '139 2222 0001', email: 'ouyang@example.org' });
  const stored = await everyStoredText(t.store);
  assert.ok(!stored.includes('欧阳明月'), 'the name is sealed');
  assert.ok(!stored.includes('13922220001') && !stored.includes('139 2222 0001'), 'the phone is sealed');
  const row = await t.store.db
    .selectFrom('personal_data')
    .selectAll()
    .where('owner_id', '=', c.id)
    .executeTakeFirstOrThrow();
  for (const value of [row.name, row.phone, row.email])
    assert.match(value!, /^pd1\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.equal(row.key_id, 'k1');
  const page = await t.app.inject({ url: `/api/v1/cases/${c.id}`, headers: await as('county.center') });
  assert.deepEqual(page.json().reporter, { name: '欧阳明月', phone: '139 2222 0001', anonymous: false });
});

test('staff find a reporter by phone, however it is written, without opening rows; others may not ask', async () => {
  const c = await report({ name: '司马青', phone: '13922220002' });
  await report({ name: '别人', phone: '13922220003' });
  const centre = await as('county.center');
  for (const written of ['13922220002', '+86 139-2222-0002', '0086 139 2222 0002']) {
    const res = await t.app.inject({
      url: `/api/v1/cases?phone=${encodeURIComponent(written)}`,
      headers: centre,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json().items.map((i: { id: string }) => i.id),
      [c.id],
      written,
    );
  }
  const none = await t.app.inject({ url: '/api/v1/cases?phone=13900000000', headers: centre });
  assert.deepEqual(none.json().items, []);
  for (const username of ['resident', 'admin']) {
    const res = await t.app.inject({ url: '/api/v1/cases?phone=13922220002', headers: await as(username) });
    assert.equal(res.statusCode, 403, `${username}: ${res.body}`);
  }
});

test('a resident downloads their data and erases it: the case stays, anonymised, with its figures', async () => {
  const resident = await as('resident');
  const c = await report({ name: '居民甲', phone: '13922220004', email: 'jia@example.org' }, resident);
  const counts = async () => {
    const res = await t.app.inject({
      url: '/api/v1/indicators?region=330106&from=2026-03-02&to=2026-03-02',
      headers: await as('county.center'),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().counts.cases > 0, res.body);
    return res.json();
  };
  const before = await counts();

  const mine = await t.app.inject({ url: '/api/v1/me/personal-data', headers: resident });
  assert.equal(mine.statusCode, 200, mine.body);
  const own = mine.json().cases.find((x: { id: string }) => x.id === c.id);
  assert.deepEqual(own.reporter, { name: '居民甲', phone: '13922220004', email: 'jia@example.org' });
  assert.equal(mine.json().account.username, 'resident');

  const erased = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/personal-data', headers: resident });
  assert.equal(erased.statusCode, 200, erased.body);
  assert.equal(erased.json().account_erased, true);
  assert.ok(erased.json().erased_cases >= 1);

  const row = await t.store.db
    .selectFrom('personal_data')
    .selectAll()
    .where('owner_id', '=', c.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual([row.name, row.phone, row.email, row.phone_hash], [null, null, null, null]);
  assert.ok(row.erased_at);
  const page = await t.app.inject({ url: `/api/v1/cases/${c.id}`, headers: await as('county.center') });
  assert.equal(page.statusCode, 200, 'the case stays');
  assert.deepEqual([page.json().reporter.name, page.json().reporter.phone], [null, null]);
  assert.deepEqual(await counts(), before, 'the figures are unchanged');
  assert.equal(
    (await t.app.inject({ url: '/api/v1/me', headers: resident })).statusCode,
    401,
    'the session ended',
  );
  const account = await t.store.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', 'resident')
    .executeTakeFirst();
  assert.equal(account, undefined, 'the account no longer goes by its name');
  const found = await t.app.inject({
    url: '/api/v1/cases?phone=13922220004',
    headers: await as('county.center'),
  });
  assert.deepEqual(found.json().items, [], 'no hash is left to find them by');

  const audit = await t.store.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', 'like', 'personal_data.%')
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['personal_data.export', 'personal_data.erase'],
  );
  assert.deepEqual((await verifyAudit({ db: t.store.db })).issues, [], 'the chains still verify');
});

test('a reporter without an account downloads and erases what they gave, by the report’s key', async () => {
  const c = await report({ name: '路人乙', phone: '13922220005' });
  const url = `/api/v1/public/cases/${c.reference}/personal-data`;
  const wrong = await t.app.inject({ method: 'POST', url, payload: { reporter_key: 'guess' } });
  assert.equal(wrong.statusCode, 403, wrong.body);
  assert.ok(!wrong.body.includes('路人乙'));
  const got = await t.app.inject({ method: 'POST', url, payload: { reporter_key: c.reporter_key } });
  assert.equal(got.statusCode, 200, got.body);
  assert.deepEqual(got.json().reporter, { name: '路人乙', phone: '13922220005', email: null });
  const erased = await t.app.inject({
    method: 'POST',
    url: `${url}/erase`,
    payload: { reporter_key: c.reporter_key },
  });
  assert.deepEqual(erased.json(), { erased_cases: 1, account_erased: false });
  const again = await t.app.inject({ method: 'POST', url, payload: { reporter_key: c.reporter_key } });
  assert.equal(again.json().reporter, null);
  assert.equal(
    (await t.app.inject({ url: `/api/v1/public/cases/${c.reference}` })).statusCode,
    200,
    'the case stays',
  );
});
