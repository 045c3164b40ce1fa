import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { systemClock } from '../src/core/clock.ts';
import { openStore, type Store } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { composeMail } from '../src/mail/compose.ts';
import { deliverOutbox } from '../src/mail/deliver-outbox.ts';
import { enqueueMail } from '../src/mail/enqueue.ts';
import { linkSigner } from '../src/mail/link-secret.ts';
import { makeLinkBuilder, type LinkBuilder } from '../src/mail/links.ts';
import { makeMailer, sendOptions } from '../src/mail/mailer.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

const FROM = '善治 Shanzhi <no-reply@shanzhi.bench>';

/** An SMTP server in this process that accepts and discards every message: the network end of both runs. */
async function startSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received += 1;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    // Pooled, as a deployment sending steadily would configure SMTP_URL: one connection reused.
    url: `smtp://127.0.0.1:${port}/?pool=true`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Writes `count` status mails to the outbox (one transaction; not timed) and returns their rows. */
async function fill(store: Store, count: number, offset: number) {
  const at = new Date().toISOString();
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < count; i++) {
      await enqueueMail(
        tx,
        {
          to: `follower${offset + i}@example.org`,
          content: {
            template: 'case_status',
            reference: `330106-20260302-${String(offset + i).padStart(5, '0')}`,
            from: { zh: '已立案', en: 'Registered' },
            to: { zh: '已派遣', en: 'Dispatched' },
            action: { zh: '派遣', en: 'Dispatched' },
            at,
          },
          links: {
            unsubscribe: { k: 'case', id: `f-${offset + i}` },
            view: { audience: 'resident', case_id: `c-${offset + i}`, reference: `R-${offset + i}` },
          },
        },
        at,
      );
    }
  });
  return store.db
    .selectFrom('outbox')
    .select(['id', 'message_id', 'payload'])
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .execute();
}

/** Without an outbox: the same mails rendered and handed to the same nodemailer transport, one by one. */
async function direct(
  rows: Array<{ id: string; message_id: string; payload: unknown }>,
  links: LinkBuilder,
  transport: Transporter,
): Promise<number> {
  const started = performance.now();
  for (const r of rows) {
    const mail = composeMail(r, links, new Date());
    await transport.sendMail(sendOptions(FROM, mail));
  }
  return rows.length / ((performance.now() - started) / 1000);
}

/**
 * Outbox delivery (deliver-outbox: claim a batch with one UPDATE … RETURNING, render, send over
 * SMTP, mark each row sent) to an SMTP server in this process that discards what it receives, on
 * the embedded store. Baseline: the same rendered mails sent straight through the same nodemailer
 * SMTP transport to the same server, with no database at all, measured before and after in this
 * run. The ratio is what the outbox's durability (a claim and a mark per mail, fsynced commits)
 * costs against delivery alone.
 */
export async function benchOutbox(options: BenchOptions): Promise<BenchRow[]> {
  const count = options.quick ? 300 : 3_000;
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-outbox-'));
  const store = openStore({ dataDir: dir });
  const sink = await startSink();
  const mailer = makeMailer({ smtpUrl: sink.url, emlDir: join(dir, 'mail'), from: FROM });
  // Both arms keep one transport (and its pooled connection) for the whole run.
  const transport = nodemailer.createTransport(sink.url);
  try {
    await migrateToLatest(store);
    const links = makeLinkBuilder('https://shanzhi.example', await linkSigner(store.db));
    const deliver = () =>
      deliverOutbox({ store, clock: systemClock, mailer, links }, { batchSize: 100, maxBatches: 1e6 });
    // Warm-up of both paths (connections, statement cache, JIT).
    await direct(await fill(store, 50, 0), links, transport);
    await deliver();

    const half = Math.floor(count / 2);
    const before = await direct(await fill(store, half, 100), links, transport);
    await deliver(); // the rows the baseline used go through the outbox untimed
    await fill(store, count, 100 + half);
    const started = performance.now();
    const report = await deliver();
    const seconds = (performance.now() - started) / 1000;
    if (report.sent !== count) throw new Error(`outbox sent ${report.sent} of ${count}`);
    const afterwards = await direct(await fill(store, count - half, 100 + half + count), links, transport);
    await deliver();
    const baseline = count / (half / before + (count - half) / afterwards);
    return [
      row(
        'outbox.mails_per_second',
        count / seconds,
        'mails/s',
        'higher',
        { name: 'the same mails sent straight by nodemailer over SMTP, no outbox', value: baseline },
        `${count} status mails, over one pooled SMTP connection (SMTP_URL …?pool=true) to an in-process smtp-server that discards them; SQLite store, synchronous=FULL`,
      ),
    ];
  } finally {
    transport.close();
    mailer.close();
    await sink.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
