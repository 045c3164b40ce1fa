import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createUser } from '../../src/accounts/create-user.ts';
import { toActor } from '../../src/accounts/users.ts';
import { actOnCase, type WorkflowDeps } from '../../src/cases/act-on-case.ts';
import type { Actor } from '../../src/core/access/roles.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { signLink } from '../../src/core/mail/tokens.ts';
import { readJson } from '../../src/db/dialect.ts';
import { askToFollowCase } from '../../src/followers/ask-to-follow-case.ts';
import { afterCaseReported } from '../../src/followers/case-hooks.ts';
import { confirmByLink } from '../../src/followers/confirm-by-link.ts';
import { followCase } from '../../src/followers/follow-case.ts';
import type { OutboxPayload } from '../../src/mail/enqueue.ts';
import { linkSigner } from '../../src/mail/link-secret.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
const { county } = ACTORS;
let store: TestStore;
let deps: WorkflowDeps;
let resident: Actor;

before(async () => {
  store = await makeTestStore();
  await seedXihu(store, clock);
  deps = { store, clock, rules: new RulesCache(store.db, 0) };
  const user = await createUser(
    { db: store.db, clock, actor: null },
    {
      username: 'li.resident',
      display_name: '李四',
      password: 'a-long-password',
      roles: ['resident'],
      scope: '33',
    },
  );
  await store.db.updateTable('users').set({ email: 'li@example.org' }).where('id', '=', user.id).execute();
  resident = toActor(
    await store.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow(),
  );
});
after(() => store.close());

/** The confirmation link the outbox holds for an address, as the mail would carry it. */
async function confirmationToken(address: string): Promise<string> {
  const rows = await store.db
    .selectFrom('outbox')
    .select('payload')
    .where('kind', '=', 'follow_confirm')
    .execute();
  const payload = rows.map((r) => readJson<OutboxPayload>(r.payload)).find((p) => p.to === address);
  assert.ok(payload?.links.confirm, `a confirmation mail to ${address}`);
  return signLink(payload.links.confirm, await linkSigner(store.db));
}

const followersOf = async (caseId: string) =>
  (
    await store.db
      .selectFrom('case_followers')
      .select(['user_id', 'email', 'status'])
      .where('case_id', '=', caseId)
      .execute()
  )
    .map((f) => `${f.user_id ?? f.email}:${f.status}`)
    .sort();

test('merging a duplicate makes its confirmed followers follow the original, without double rows', async () => {
  const original = await makeCase({ db: store.db, keyring: store.keyring, clock });
  const duplicate = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await actOnCase(deps, county, original.id, { action: 'register', expected_version: 1 });
  // The account follows both; one address follows the duplicate; another has not confirmed yet.
  await followCase({ store, clock }, resident, original.id);
  await followCase({ store, clock }, resident, duplicate.id);
  await askToFollowCase({ store, clock }, duplicate.id, { email: 'Wang@Example.org' });
  await confirmByLink({ store, clock }, await confirmationToken('wang@example.org'));
  await askToFollowCase({ store, clock }, duplicate.id, { email: 'zhao@example.org' });

  await actOnCase(deps, county, duplicate.id, {
    action: 'merge',
    expected_version: 1,
    merged_into: original.id,
  });

  assert.deepEqual(await followersOf(original.id), [`${resident.user_id}:active`, 'wang@example.org:active']);
  assert.deepEqual(
    await followersOf(duplicate.id),
    [`${resident.user_id}:active`, 'wang@example.org:active', 'zhao@example.org:pending'],
    'the duplicate keeps its followers',
  );

  // Confirming after the merge follows the original as well.
  await confirmByLink({ store, clock }, await confirmationToken('zhao@example.org'));
  assert.deepEqual(await followersOf(original.id), [
    `${resident.user_id}:active`,
    'wang@example.org:active',
    'zhao@example.org:active',
  ]);
});

test('a merge that fails leaves the followers as they were', async () => {
  const original = await makeCase({ db: store.db, keyring: store.keyring, clock });
  const duplicate = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await followCase({ store, clock }, resident, duplicate.id);
  await assert.rejects(
    actOnCase(deps, county, duplicate.id, { action: 'merge', expected_version: 7, merged_into: original.id }),
  );
  assert.deepEqual(await followersOf(original.id), []);
});

test('a reporter who gave an address follows their own case, confirmed', async () => {
  const c = await makeCase({ db: store.db, keyring: store.keyring, clock });
  const row = await store.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
  await store.db.transaction().execute((tx) =>
    afterCaseReported(tx, {
      ...row,
      reporter_email: ' Reporter@Example.org ',
      reported_at: clock.now().toISOString(),
    }),
  );
  assert.deepEqual(await followersOf(c.id), ['reporter@example.org:active']);
});
