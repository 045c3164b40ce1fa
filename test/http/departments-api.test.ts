import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { seedXihu } from '../helpers/actors.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
let t: TestApp;

before(async () => {
  t = await makeTestApp(
    async (store) => {
      await seedXihu(store, clock);
      await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
    },
    { clock },
  );
});
after(() => t.close());

test('a department added twice, or a second unit of one kind in a region, is a 409 that writes nothing', async () => {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username: 'admin', password: 'demo' },
  });
  const headers = { authorization: `Bearer ${login.json().token as string}` };
  const add = (payload: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/departments', headers, payload });
  const first = { id: 'dept-dup-1', name: '重复测试局', type: 'urban_management', region: '330106004000' };
  assert.equal((await add(first)).statusCode, 201);
  const audits = async () =>
    (
      await t.store.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'department.create')
        .execute()
    ).length;
  const before = await audits();
  for (const again of [first, { ...first, id: 'dept-dup-2' }]) {
    const res = await add(again);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, 'department.duplicate');
  }
  assert.equal(await audits(), before, 'no audit row for a refused write');
  const listed = await t.store.db
    .selectFrom('departments')
    .select('id')
    .where('id', 'like', 'dept-dup-%')
    .execute();
  assert.deepEqual(listed, [{ id: 'dept-dup-1' }]);
});
