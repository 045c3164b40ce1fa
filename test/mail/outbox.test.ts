import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { fixedClock } from '../../src/core/clock.ts';
import { enqueueMail } from '../../src/mail/enqueue.ts';
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

const enqueue = (to: string, reference: string) =>
  enqueueMail(
    store.db,
    { to, content: { template: 'staff_supervision', reference, reason: null } },
    clock.now().toISOString(),
  );

const statusOf = async (id: string) =>
  store.db
    .selectFrom('outbox')
    .select(['status', 'attempts', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** The mark step fails after a successful send, as if the process died between the two. */
async function breakMarking(on: boolean): Promise<void> {
  if (store.traits.name === 'postgres') {
    if (on) {
      await sql`CREATE FUNCTION refuse_mark() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'crash before mark'; END $$ LANGUAGE plpgsql`.execute(
        store.db,
      );
      await sql`CREATE TRIGGER refuse_mark BEFORE UPDATE ON outbox FOR EACH ROW WHEN (NEW.status = 'sent') EXECUTE FUNCTION refuse_mark()`.execute(
        store.db,
      );
    } else {
      await sql`DROP TRIGGER refuse_mark ON outbox`.execute(store.db);
      await sql`DROP FUNCTION refuse_mark()`.execute(store.db);
    }
  } else if (on) {
    await sql`CREATE TRIGGER refuse_mark BEFORE UPDATE OF status ON outbox WHEN NEW.status = 'sent' BEGIN SELECT RAISE(ABORT, 'crash before mark'); END`.execute(
      store.db,
    );
  } else {
    await sql`DROP TRIGGER refuse_mark`.execute(store.db);
  }
}

test('a crash between sending and marking re-sends once with the same Message-ID and loses nothing', async () => {
  const first = await enqueue('a@example.org', '330106-20260302-00001');
  const second = await enqueue('b@example.org', '330106-20260302-00002');
  await breakMarking(true);
  const crashed = await delivery.deliver();
  assert.deepEqual(crashed, { sent: 0, retried: 0, failed: 0, unmarked: 2 });
  assert.equal(smtp.to('a@example.org').length, 1, 'the mail went out');
  assert.equal((await statusOf(first)).status, 'pending', 'but its row was not marked');
  await breakMarking(false);

  // Within the claim's lease nobody sends it again …
  assert.equal((await delivery.deliver()).sent, 0);
  // … after the lease it goes again, with the same Message-ID.
  clock.advance(5 * 60_000);
  assert.equal((await delivery.deliver()).sent, 2);
  const copies = smtp.to('a@example.org');
  assert.equal(copies.length, 2);
  assert.equal(copies[0]!.messageId, copies[1]!.messageId);
  assert.equal(smtp.to('b@example.org').length, 2);
  for (const id of [first, second]) assert.equal((await statusOf(id)).status, 'sent');
  assert.equal((await delivery.deliver()).sent, 0, 'sent rows stay sent');
});

test('a refused mail is retried with growing backoff; a permanent refusal is kept as failed, without the address', async () => {
  const id = await enqueue('c@example.org', '330106-20260302-00003');
  smtp.refuseWith({ code: 451, message: 'Try again later <c@example.org>' });
  assert.equal((await delivery.deliver()).retried, 1);
  const row = await statusOf(id);
  assert.equal(row.status, 'pending');
  assert.ok(row.last_error?.includes('451'));
  assert.ok(!row.last_error?.includes('c@example.org'), 'no address in the stored reason');
  clock.advance(29_000);
  assert.equal((await delivery.deliver()).retried, 0, 'not before the first backoff (30 s)');
  clock.advance(1_000);
  assert.equal((await delivery.deliver()).retried, 1);
  clock.advance(30_000);
  assert.equal((await delivery.deliver()).retried, 0, 'the second backoff is twice as long');
  clock.advance(30_000);
  smtp.refuseWith(null);
  assert.equal((await delivery.deliver()).sent, 1);
  assert.equal((await statusOf(id)).attempts, 3);

  const refused = await enqueue('gone@example.org', '330106-20260302-00004');
  smtp.refuseWith({ code: 550, message: 'No such user' });
  assert.equal((await delivery.deliver()).failed, 1);
  smtp.refuseWith(null);
  clock.advance(3_600_000);
  assert.equal((await delivery.deliver()).sent, 0);
  assert.equal((await statusOf(refused)).status, 'failed');
});

test('two dispatchers at once send each mail once', async () => {
  const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => enqueue(`p${i}@example.org`, `R-${i}`)));
  const other = makeDelivery({ store, clock }, { smtpUrl: smtp.url });
  try {
    const [a, b] = await Promise.all([delivery.deliver({ batchSize: 3 }), other.deliver({ batchSize: 3 })]);
    assert.equal(a.sent + b.sent, 20);
  } finally {
    other.close();
  }
  for (let i = 0; i < ids.length; i++) assert.equal(smtp.to(`p${i}@example.org`).length, 1);
});

test('without SMTP_URL each mail becomes an .eml file under the data directory', async () => {
  const emlDir = join(store.dataDir, 'mail');
  const files = makeDelivery({ store, clock }, { emlDir });
  try {
    const id = await enqueueMail(
      store.db,
      {
        to: 'e@example.org',
        content: { template: 'follow_confirm', reference: '330106-20260302-00005' },
        links: { confirm: { p: 'confirm', k: 'case', id: 'x', n: 'y' } },
      },
      clock.now().toISOString(),
    );
    assert.equal((await files.deliver()).sent, 1);
    assert.deepEqual(readdirSync(emlDir), [`${id}.eml`]);
    const mail = await simpleParser(readFileSync(join(emlDir, `${id}.eml`)));
    assert.equal(mail.messageId, `<${id}@outbox.shanzhi>`);
    assert.match(mail.subject ?? '', /^【善治】请确认关注事件 330106-20260302-00005 \/ Please confirm/);
    assert.match(mail.text ?? '', /http:\/\/shanzhi\.test\/mail\/confirm\?token=/);
    assert.ok(mail.html && mail.html.includes('lang="zh-CN"'));
    assert.equal((await statusOf(id)).status, 'sent');
  } finally {
    files.close();
  }
});
