import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Clock } from '../../src/core/clock.ts';
import type { Store } from '../../src/db/database.ts';
import { deliverOutbox, type DeliverOptions } from '../../src/mail/deliver-outbox.ts';
import { linkSigner } from '../../src/mail/link-secret.ts';
import { makeLinkBuilder } from '../../src/mail/links.ts';
import { makeMailer } from '../../src/mail/mailer.ts';

export const PUBLIC_URL = 'http://shanzhi.test';

export interface TestSmtp {
  /** `smtp://127.0.0.1:<port>`, as SMTP_URL would be. */
  url: string;
  /** Every message the server accepted, parsed, in arrival order. */
  messages: ParsedMail[];
  /** Messages to one address. */
  to(address: string): ParsedMail[];
  /** Makes the server answer the next messages with this SMTP reply instead of 250 (null: accept again). */
  refuseWith(reply: { code: number; message: string } | null): void;
  close(): Promise<void>;
}

/** A real SMTP server in the test process (smtp-server on 127.0.0.1, a free port), parsing with mailparser. */
export async function startSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  let refusal: { code: number; message: string } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusal) {
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          return;
        }
        // Parsed and kept before the 250 goes back, so a send that resolved is a message here.
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            messages.push(parsed);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  // A client that drops its connection (a server killed mid-send) is the client's business:
  // smtp-server reports it as an 'error' event, which without a listener ends the test process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => JSON.stringify(m.to).includes(address)),
    refuseWith(reply) {
      refusal = reply;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The dispatcher as the server runs it, sending to `smtpUrl` (or .eml files in `emlDir` without one). */
export function makeDelivery(
  deps: { store: Store; clock: Clock },
  target: { smtpUrl?: string; emlDir?: string },
) {
  const mailer = makeMailer({
    smtpUrl: target.smtpUrl,
    emlDir: target.emlDir ?? '',
    from: '善治 Shanzhi <no-reply@shanzhi.test>',
  });
  return {
    mailer,
    async deliver(options: DeliverOptions = {}) {
      const links = makeLinkBuilder(PUBLIC_URL, await linkSigner(deps.store.db));
      return deliverOutbox({ ...deps, mailer, links }, options);
    },
    close: () => mailer.close(),
  };
}

/** The token of a confirm or unsubscribe link in a mail's text. */
export function linkToken(mail: ParsedMail, page: 'confirm' | 'unsubscribe'): string {
  const match = new RegExp(`/mail/${page}\\?token=([^\\s>]+)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${page} link in "${mail.subject}"`);
  return decodeURIComponent(match[1]!);
}
