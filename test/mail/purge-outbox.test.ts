import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { enqueueMail } from '../../src/mail/enqueue.ts';
import { loadMailConfig } from '../../src/mail/mail-config.ts';
import { purgeSentMail } from '../../src/mail/purge-outbox.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { makeDelivery, startSmtp, type TestSmtp } from './smtp.ts';

const clock = fixedClock('2026-03-02T01:00:00Z');
let store: TestStore;
let smtp: TestSmtp;
let delivery: ReturnType<typeof makeDelivery>;

before(async () => {
  smtp = await startSmtp();
  store = await makeTestStore();
  delivery = makeDelivery({ store, clock }, { smtpUrl: smtp.url });
});
after(async () => {
  delivery.close();
  await smtp.close();
  await store.close();
});

const enqueue = (reference: string, at = clock.now().toISOString()) =>
  enqueueMail(
    store.db,
    { to: 'resident@example.org', content: { template: 'staff_supervision', reference, reason: null } },
    at,
  );

const statuses = async () =>
  Object.fromEntries(
    (await store.db.selectFrom('outbox').select(['id', 'status']).execute()).map((r) => [r.id, r.status]),
  );

test('sent mail past its retention is deleted in batches; pending, failed and recent mail stay', async () => {
  const old = [
    await enqueue('330106-20260302-00001'),
    await enqueue('330106-20260302-00002'),
    await enqueue('330106-20260302-00003'),
  ];
  assert.equal((await delivery.deliver()).sent, 3);
  const failed = await enqueue('330106-20260302-00004');
  await store.db
    .updateTable('outbox')
    .set({ status: 'failed', last_error: '550 no such user' })
    .where('id', '=', failed)
    .execute();

  clock.set('2026-03-20T01:00:00Z');
  const recent = await enqueue('330106-20260320-00001');
  assert.equal((await delivery.deliver()).sent, 1);
  // Due later: still pending when the purge runs.
  const pending = await enqueue('330106-20260320-00002', '2026-05-01T00:00:00.000Z');

  clock.set('2026-03-31T01:00:00Z');
  assert.equal(
    await purgeSentMail({ db: store.db, clock }, { keepDays: 30 }),
    0,
    'nothing is 30 days old yet',
  );

  clock.set('2026-04-02T01:00:01Z');
  assert.equal(await purgeSentMail({ db: store.db, clock }, { keepDays: 30, batch: 2 }), 3);
  const left = await statuses();
  for (const id of old) assert.equal(left[id], undefined);
  assert.deepEqual(
    { failed: left[failed], recent: left[recent], pending: left[pending] },
    { failed: 'failed', recent: 'sent', pending: 'pending' },
  );
  assert.equal(
    await purgeSentMail({ db: store.db, clock }, { keepDays: 30 }),
    0,
    'a second purge finds nothing',
  );
});

test('SHANZHI_MAIL_KEEP_DAYS sets the retention: 30 days by default, 0 keeps sent mail', () => {
  assert.equal(loadMailConfig('/tmp/data', {}).keepSentDays, 30);
  assert.equal(loadMailConfig('/tmp/data', { SHANZHI_MAIL_KEEP_DAYS: '0' }).keepSentDays, 0);
  assert.throws(
    () => loadMailConfig('/tmp/data', { SHANZHI_MAIL_KEEP_DAYS: 'soon' }),
    /SHANZHI_MAIL_KEEP_DAYS/,
  );
});
