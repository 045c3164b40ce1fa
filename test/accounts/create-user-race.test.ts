import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createUser } from '../../src/accounts/create-user.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { isUniqueViolation } from '../../src/db/dialect.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { loadCounty } from '../helpers/regions.ts';

let store: TestStore;
const clock = fixedClock('2026-03-01T08:00:00Z');

before(async () => {
  store = await makeTestStore();
  await loadCounty(store);
});
after(() => store.close());

const create = (username: string) =>
  store.db.transaction().execute((tx) =>
    createUser(
      { db: tx, clock, actor: null },
      {
        username,
        display_name: username,
        password: 'correct horse battery',
        roles: ['grid_worker'],
        scope: '330106002051',
      },
    ),
  );

test('two creations of one username at once: one succeeds, the other is user.username_taken', async () => {
  for (const name of ['race.a', 'race.b', 'race.c']) {
    const results = await Promise.allSettled([create(name), create(name)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(ok.length, 1, name);
    assert.equal(refused.length, 1, name);
    assert.equal((refused[0] as PromiseRejectedResult).reason.code, 'user.username_taken');
    const rows = await store.db.selectFrom('users').select('id').where('username', '=', name).execute();
    assert.equal(rows.length, 1);
    const audited = await store.db
      .selectFrom('audit_log')
      .select('target_id')
      .where('action', '=', 'user.create')
      .where('target_id', '=', rows[0]!.id)
      .execute();
    assert.equal(audited.length, 1, 'only the creation that happened is audited');
  }
});

test('the database refusal of a duplicate username is recognised on both dialects', async () => {
  const now = clock.now().toISOString();
  const row = {
    username: 'dup.raw',
    display_name: 'dup',
    password_hash: 'x',
    roles: '["grid_worker"]',
    scope_region_code: '330106002051',
    scope_region_level: 5,
    department_id: null,
    created_at: now,
    updated_at: now,
  };
  await store.db
    .insertInto('users')
    .values({ id: 'raw-1', ...row })
    .execute();
  await assert.rejects(
    store.db
      .insertInto('users')
      .values({ id: 'raw-2', ...row })
      .execute(),
    (e) => isUniqueViolation(e),
  );
});
