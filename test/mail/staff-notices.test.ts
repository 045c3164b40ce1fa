import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createUser } from '../../src/accounts/create-user.ts';
import { actOnCase, type WorkflowDeps } from '../../src/cases/act-on-case.ts';
import { sweepCases } from '../../src/cases/sweep-cases.ts';
import type { Role } from '../../src/core/access/roles.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { setAccountEmail } from '../../src/mail/account-email.ts';
import { sendQueueDigests } from '../../src/mail/send-queue-digests.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { makeDelivery, startSmtp, type TestSmtp } from './smtp.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
const { county, township } = ACTORS;
let store: TestStore;
let deps: WorkflowDeps;
let smtp: TestSmtp;
let delivery: ReturnType<typeof makeDelivery>;

async function staff(
  username: string,
  roles: Role[],
  scope: string,
  department: string | null,
  email: string,
) {
  await createUser(
    { db: store.db, clock, actor: null },
    {
      username,
      display_name: username,
      password: 'a-long-password',
      roles,
      scope,
      department_id: department,
    },
  );
  await setAccountEmail({ store, clock }, username, email);
}

before(async () => {
  smtp = await startSmtp();
  store = await makeTestStore();
  await seedXihu(store, clock);
  deps = { store, clock, rules: new RulesCache(store.db, 0) };
  delivery = makeDelivery({ store, clock }, { smtpUrl: smtp.url });
  await staff('urban.one', ['department_handler'], '330106', 'dept-330106-urban', 'urban1@example.org');
  await staff('urban.two', ['department_handler'], '330106', 'dept-330106-urban', 'urban2@example.org');
  await staff('market.one', ['department_handler'], '330106', 'dept-330106-market', 'market@example.org');
  await staff('centre.one', ['county_centre'], '330106', null, 'centre@example.org');
  // An account without an address gets nothing, and breaks nothing.
  await createUser(
    { db: store.db, clock, actor: null },
    {
      username: 'urban.quiet',
      display_name: 'q',
      password: 'a-long-password',
      roles: ['department_handler'],
      scope: '330106',
      department_id: 'dept-330106-urban',
    },
  );
});
after(async () => {
  delivery.close();
  await smtp.close();
  await store.close();
});

const subjects = (address: string) => smtp.to(address).map((m) => m.subject ?? '');
const deadlineMails = (address: string) => subjects(address).filter((s) => s.includes('时限提醒'));

test('a dispatched case notifies its department; each deadline threshold is mailed once however often the sweeper runs', async () => {
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await actOnCase(deps, county, id, { action: 'register', expected_version: 1 });
  await actOnCase(deps, county, id, { action: 'dispatch', expected_version: 2 });
  await delivery.deliver();
  for (const address of ['urban1@example.org', 'urban2@example.org']) {
    assert.equal(subjects(address).filter((s) => s.includes('新派遣事件')).length, 1, address);
  }
  assert.equal(subjects('market@example.org').length, 0, 'other departments hear nothing');

  clock.set('2026-03-05T09:00:00+08:00'); // 3 of 5 working days: past 50 %
  await sweepCases(deps);
  await sweepCases(deps);
  await delivery.deliver();
  assert.deepEqual(
    deadlineMails('urban1@example.org').map((s) => /(\d+)%/.exec(s)?.[1]),
    ['50'],
  );

  clock.set('2026-03-06T15:00:00+08:00'); // past 80 %: two sweepers at once
  await Promise.all([sweepCases(deps), sweepCases(deps)]);
  await delivery.deliver();
  clock.set('2026-03-09T09:00:00+08:00'); // the deadline
  await sweepCases(deps);
  await sweepCases(deps);
  await delivery.deliver();
  for (const address of ['urban1@example.org', 'urban2@example.org']) {
    assert.deepEqual(
      deadlineMails(address).map((s) => /(\d+)%/.exec(s)?.[1]),
      ['50', '80', '100'],
      `${address}: one mail per threshold`,
    );
  }
  const notices = await store.db
    .selectFrom('case_notices')
    .select('threshold')
    .where('case_id', '=', id)
    .execute();
  assert.equal(notices.length, 3);
});

test('supervision reaches the owner department, a whistle the summoned one', async () => {
  clock.set('2026-03-10T09:00:00+08:00');
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await actOnCase(deps, county, id, { action: 'register', expected_version: 1 });
  await actOnCase(deps, county, id, { action: 'dispatch', expected_version: 2 });
  await actOnCase(deps, county, id, { action: 'supervise', expected_version: 3, reason: '群众反映强烈' });
  await actOnCase(deps, township, id, {
    action: 'whistle',
    expected_version: 4,
    departments: ['dept-330106-market'],
    report_in_hours: 2,
  });
  await delivery.deliver();
  const supervision = smtp.to('urban1@example.org').filter((m) => m.subject?.includes('督办'));
  assert.equal(supervision.length, 1);
  assert.match(supervision[0]!.text ?? '', /群众反映强烈/);
  assert.equal(subjects('market@example.org').filter((s) => s.includes('吹哨报到')).length, 1);
});

test('staff get one queue digest a day, even when the digest job runs twice', async () => {
  await makeCase({ db: store.db, keyring: store.keyring, clock }); // waits for the centre to register it
  clock.set('2026-03-11T00:00:00Z'); // 08:00 in Hangzhou: the digest hour
  const before = smtp.to('urban1@example.org').length;
  const [a, b] = await Promise.all([sendQueueDigests({ store, clock }), sendQueueDigests({ store, clock })]);
  await sendQueueDigests({ store, clock });
  await delivery.deliver();
  const digests = smtp.to('urban1@example.org').slice(before);
  assert.equal(digests.length, 1);
  assert.ok(a.digests + b.digests >= 1);
  assert.match(digests[0]!.subject ?? '', /今日待办：\d+ 件，超期 \d+ 件/);
  assert.ok(
    smtp.to('centre@example.org').some((m) => m.subject?.includes('今日待办')),
    'the centre too',
  );

  clock.set('2026-03-12T00:00:00Z');
  await sendQueueDigests({ store, clock });
  await delivery.deliver();
  assert.equal(smtp.to('urban1@example.org').slice(before).length, 2, 'and again the next day');
});
