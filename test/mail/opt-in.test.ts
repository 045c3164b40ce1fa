import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { actOnCase, type WorkflowDeps } from '../../src/cases/act-on-case.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { makeCase } from '../helpers/cases.ts';
import { linkToken, makeDelivery, startSmtp, type TestSmtp } from './smtp.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
const { county } = ACTORS;
let t: TestApp;
let smtp: TestSmtp;
let delivery: ReturnType<typeof makeDelivery>;
let workflow: WorkflowDeps;

before(async () => {
  smtp = await startSmtp();
  t = await makeTestApp(
    async (store) => {
      await seedXihu(store, clock);
      await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
    },
    { clock },
  );
  delivery = makeDelivery({ store: t.store, clock }, { smtpUrl: smtp.url });
  workflow = { store: t.store, clock, rules: t.deps.rules };
});
after(async () => {
  delivery.close();
  await smtp.close();
  await t.close();
});

const form = (url: string, body: string) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

/** A header as sent (mailparser folds the List-* headers into one object). */
const headerOf = (mail: ParsedMail, key: string) =>
  mail.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, '') ?? '';

const followerStatus = async (caseId: string, email: string) =>
  (
    await t.store.db
      .selectFrom('case_followers')
      .select('status')
      .where('case_id', '=', caseId)
      .where('email', '=', email)
      .executeTakeFirst()
  )?.status ?? 'none';

test('following by e-mail starts only on confirmation; the link works once; unsubscribing by signed link stops the mail', async () => {
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock });
  const ask = () =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/followers`,
      payload: { email: 'Wang@Example.org' },
    });
  const asked = await ask();
  assert.equal(asked.statusCode, 202, asked.body);
  assert.deepEqual(asked.json(), { requested: true });
  assert.equal((await ask()).statusCode, 202, 'asking again answers the same …');
  await delivery.deliver();
  assert.equal(smtp.to('wang@example.org').length, 1, '… and sends no second confirmation within the hour');
  const confirmation = smtp.to('wang@example.org')[0]!;
  assert.match(confirmation.subject ?? '', /请确认关注事件 .* \/ Please confirm following case/);
  assert.ok(
    confirmation.text!.indexOf('请点击') < confirmation.text!.indexOf('Please open'),
    'Chinese first',
  );

  // No status mail before confirmation.
  await actOnCase(workflow, county, id, { action: 'register', expected_version: 1 });
  await delivery.deliver();
  assert.equal(smtp.to('wang@example.org').length, 1);
  assert.equal(await followerStatus(id, 'wang@example.org'), 'pending');

  // Opening the link shows a button; a mail scanner's GET confirms nothing.
  const token = linkToken(confirmation, 'confirm');
  const page = await t.app.inject({ method: 'GET', url: `/mail/confirm?token=${encodeURIComponent(token)}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<form method="post"/);
  assert.equal(await followerStatus(id, 'wang@example.org'), 'pending');
  const confirmed = await form('/mail/confirm', `token=${encodeURIComponent(token)}`);
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  assert.equal(await followerStatus(id, 'wang@example.org'), 'active');
  const again = await t.app.inject({
    method: 'POST',
    url: '/api/v1/subscriptions/confirm',
    payload: { token },
  });
  assert.equal(again.statusCode, 410);
  assert.equal(again.json().error.code, 'mail.link_used');

  await actOnCase(workflow, county, id, { action: 'dispatch', expected_version: 2 });
  await delivery.deliver();
  const [, status] = smtp.to('wang@example.org');
  assert.ok(status, 'a status mail once following');
  assert.match(status.subject ?? '', /已派遣 \/ .*Dispatched/);
  assert.match(status.messageId ?? '', /@outbox\.shanzhi>?$/);
  assert.equal(headerOf(status, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
  const unsubscribeUrl = new URL(/^<(.*)>$/.exec(headerOf(status, 'list-unsubscribe'))![1]!);
  const unsubscribe = linkToken(status, 'unsubscribe');
  assert.equal(unsubscribeUrl.searchParams.get('token'), unsubscribe);

  // A tampered link is refused and changes nothing.
  const [body, signature] = unsubscribe.split('.') as [string, string];
  for (const forged of [`${body}x.${signature}`, `${body}.${signature.slice(0, -2)}AA`, body]) {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subscriptions/unsubscribe',
      payload: { token: forged },
    });
    assert.equal(refused.statusCode, 400, forged);
    assert.equal(refused.json().error.code, 'mail.invalid_link');
  }
  assert.equal(await followerStatus(id, 'wang@example.org'), 'active');

  // RFC 8058 one-click: a POST to the List-Unsubscribe URL.
  const oneClick = await form(unsubscribeUrl.pathname + unsubscribeUrl.search, 'List-Unsubscribe=One-Click');
  assert.equal(oneClick.statusCode, 200, oneClick.body);
  assert.equal(await followerStatus(id, 'wang@example.org'), 'none');
  await actOnCase(workflow, ACTORS.urban, id, { action: 'accept', expected_version: 3 });
  await delivery.deliver();
  assert.equal(smtp.to('wang@example.org').length, 2, 'no mail after unsubscribing');
});

test('a signed-in account follows and unfollows a case; a bad address is refused with a clear message', async () => {
  const { id } = await makeCase({ db: t.store.db, keyring: t.store.keyring, clock });
  const session = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username: 'resident', password: 'demo' },
  });
  const headers = { authorization: `Bearer ${session.json().token}` };
  const followed = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/followers`, headers });
  assert.equal(followed.statusCode, 200, followed.body);
  assert.equal(followed.json().following, true);
  const mine = await t.app.inject({ method: 'GET', url: '/api/v1/subscriptions', headers });
  assert.deepEqual(
    mine.json().cases.map((c: { case_id: string }) => c.case_id),
    [id],
  );
  const unfollowed = await t.app.inject({ method: 'DELETE', url: `/api/v1/cases/${id}/followers`, headers });
  assert.equal(unfollowed.json().following, false);
  assert.equal(
    (await t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/followers` })).statusCode,
    401,
  );
  const bad = await t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${id}/followers`,
    payload: { email: 'not an address' },
  });
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.json().error.code, 'mail.invalid_address');
  assert.ok(bad.json().error.message && bad.json().error.message_en);
});
