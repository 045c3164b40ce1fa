import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
before(async () => {
  store = await makeTestStore();
});
after(() => store.close());

const keys = async (prefix: string) =>
  (
    await store.db
      .selectFrom('meta')
      .select('key')
      .where('key', 'like', `${prefix}%`)
      .orderBy('key')
      .execute()
  ).map((r) => r.key);

test('concurrent writes each settle with their own outcome; a failing one leaves nothing, the others commit', async () => {
  const outcomes = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      store.write(async (tx) => {
        await tx
          .insertInto('meta')
          .values({ key: `w${i}`, value: String(i) })
          .execute();
        if (i === 5) throw new Error('write 5 fails after its insert');
        return i;
      }),
    ),
  );
  assert.deepEqual(
    outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message)),
    [0, 1, 2, 3, 4, 'write 5 fails after its insert', 6, 7, 8, 9],
  );
  assert.deepEqual(await keys('w'), ['w0', 'w1', 'w2', 'w3', 'w4', 'w6', 'w7', 'w8', 'w9']);
});

test('a write that breaks a unique key fails alone, and the row that won stays', async () => {
  const outcomes = await Promise.allSettled(
    ['u1', 'u1', 'u2'].map((key) =>
      store.write((tx) => tx.insertInto('meta').values({ key, value: 'x' }).execute()),
    ),
  );
  // One of the two u1 writes wins (which one is the store's to decide); u2 is untouched.
  assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'fulfilled', 'rejected']);
  assert.equal(outcomes[2]!.status, 'fulfilled');
  assert.deepEqual(await keys('u'), ['u1', 'u2']);
});

test('when the shared commit fails, every write of the group fails and none is kept', async (t) => {
  if (store.traits.name !== 'sqlite')
    return t.skip('group commit is the embedded store’s (PostgreSQL commits each write alone)');
  // Two writes queued in the same tick share a group; the first leaves a foreign key broken
  // until commit (deferred), so the COMMIT itself is refused.
  const broken = store.write(async (tx) => {
    await sql`PRAGMA defer_foreign_keys = ON`.execute(tx);
    await tx
      .insertInto('case_events')
      .values({
        case_id: 'no-such-case',
        version: 1,
        at: '2026-03-01T00:00:00.000Z',
        actor_user_id: null,
        actor_username: 'test',
        actor_role: 'resident',
        action: 'report',
        from_stage: null,
        to_stage: 'reported',
        reason: null,
        payload: '{}',
      })
      .execute();
  });
  const innocent = store.write((tx) => tx.insertInto('meta').values({ key: 'g1', value: 'x' }).execute());
  const outcomes = await Promise.allSettled([broken, innocent]);
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['rejected', 'rejected'],
  );
  assert.deepEqual(await keys('g'), []);
  const events = await store.db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', 'no-such-case')
    .execute();
  assert.equal(events.length, 0);
});
