import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { sendDigests } from '../../src/mail/send-digests.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { seedXihu } from '../helpers/actors.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { linkToken, makeDelivery, startSmtp, type TestSmtp } from './smtp.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
let t: TestApp;
let smtp: TestSmtp;
let delivery: ReturnType<typeof makeDelivery>;
let A: string;
let B: string;

before(async () => {
  smtp = await startSmtp();
  t = await makeTestApp(
    async (store) => {
      await seedXihu(store, clock);
      [A, B] = (await listWithin(store.db, '330106', 'community')).map((c) => c.code) as [string, string];
      await importGrids(
        { store, clock },
        collection(
          gridFeature(A, 1, square(120.1, 30.2)),
          gridFeature(A, 2, square(120.11, 30.2)),
          gridFeature(B, 1, square(120.12, 30.2)),
        ),
      );
    },
    { clock },
  );
  delivery = makeDelivery({ store: t.store, clock }, { smtpUrl: smtp.url });
});
after(async () => {
  delivery.close();
  await smtp.close();
  await t.close();
});

async function subscribe(payload: Record<string, unknown>, confirm = true): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/subscriptions/areas', payload });
  assert.equal(res.statusCode, 202, res.body);
  await delivery.deliver();
  if (!confirm) return;
  const mail = smtp.to(String(payload.email)).at(-1)!;
  assert.match(mail.subject ?? '', /请确认订阅/);
  const done = await t.app.inject({
    method: 'POST',
    url: '/api/v1/subscriptions/confirm',
    payload: { token: linkToken(mail, 'confirm') },
  });
  assert.equal(done.statusCode, 200, done.body);
}

async function report(lon: number, lat: number, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    payload: {
      channel: 'web',
      category: 'SJ0102',
      title: '垃圾堆放',
      description: '小区门口有暴露垃圾',
      location: { lon, lat },
      ...extra,
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  await delivery.deliver();
  return res.json().reference;
}

const alerts = (address: string) => smtp.to(address).filter((m) => m.subject?.includes('有新事件'));

test('an area alert goes out for a new case in the area and not for one outside it', async () => {
  await subscribe({ email: 'community@example.org', region: A });
  await subscribe({ email: 'circle@example.org', center: { lon: 120.105, lat: 30.205 }, radius_m: 300 });
  await subscribe({ email: 'unconfirmed@example.org', region: A }, false);

  const near = await report(120.1051, 30.2052);
  assert.deepEqual(
    alerts('community@example.org').map((m) => m.subject?.includes(near)),
    [true],
  );
  assert.deepEqual(
    alerts('circle@example.org').map((m) => m.subject?.includes(near)),
    [true],
  );
  assert.equal(alerts('unconfirmed@example.org').length, 0, 'no alert before confirmation');

  // The same community, about a kilometre from the circle's centre.
  const far = await report(120.115, 30.205);
  assert.equal(alerts('community@example.org').length, 2);
  assert.ok(alerts('community@example.org')[1]!.subject?.includes(far));
  assert.equal(alerts('circle@example.org').length, 1, 'outside the circle');

  // Another community altogether.
  await report(120.125, 30.205);
  assert.equal(alerts('community@example.org').length, 2);
  assert.equal(alerts('circle@example.org').length, 1);
});

test('a reporter who gives an address follows their own case, and gets no area alert for it', async () => {
  await subscribe({ email: 'me@example.org', region: A });
  const before = smtp.to('me@example.org').length;
  await report(120.1052, 30.2053, { reporter: { name: '王五', email: 'Me@Example.org' } });
  assert.equal(smtp.to('me@example.org').length, before, 'no alert for one’s own report');
  const followers = await t.store.db
    .selectFrom('case_followers')
    .select(['email', 'status'])
    .where('email', '=', 'me@example.org')
    .execute();
  assert.deepEqual(followers, [{ email: 'me@example.org', status: 'active' }]);
});

test('a digest subscriber gets one mail a day with every new case instead of one mail each', async () => {
  await subscribe({ email: 'daily@example.org', region: A, digest: true });
  const sent = smtp.to('daily@example.org').length;
  const first = await report(120.1053, 30.2051);
  const second = await report(120.1154, 30.2051);
  assert.equal(smtp.to('daily@example.org').length, sent, 'nothing before the digest hour');
  assert.equal((await sendDigests({ store: t.store, clock })).digests, 0);

  clock.set('2026-03-03T00:00:00Z'); // 08:00 in Hangzhou
  const [a, b] = await Promise.all([
    sendDigests({ store: t.store, clock }),
    sendDigests({ store: t.store, clock }),
  ]);
  assert.equal(a.digests + b.digests, 1, 'two digest jobs at once write one digest');
  await delivery.deliver();
  const digests = smtp.to('daily@example.org').slice(sent);
  assert.equal(digests.length, 1);
  assert.match(digests[0]!.subject ?? '', /今日摘要：2 条更新/);
  for (const reference of [first, second]) assert.ok(digests[0]!.text?.includes(reference));
  assert.match(digests[0]!.text ?? '', /\/mail\/unsubscribe\?token=/);
  assert.equal((await sendDigests({ store: t.store, clock })).digests, 0, 'and only once');
});
