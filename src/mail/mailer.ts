import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

/** A mail ready to go: rendered, addressed, with its stable Message-ID. */
export interface OutgoingMail {
  /** The outbox row's id (names the .eml file). */
  id: string;
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  date: Date;
}

export interface Mailer {
  /** 'smtp' (SMTP_URL) or 'eml' (files under the data directory). */
  kind: 'smtp' | 'eml';
  /** Resolves once the mail is accepted (by the SMTP server, or written and renamed into place). */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl?: string | undefined;
  emlDir: string;
  from: string;
}

/** An SMTP error with a 5xx reply is permanent (unknown mailbox, refused); retrying will not help. */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** nodemailer's message options for a mail. */
export const sendOptions = (from: string, mail: OutgoingMail) => ({
  from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  messageId: mail.messageId,
  date: mail.date,
  headers: mail.headers,
});

/**
 * SMTP when `smtpUrl` is given (nodemailer's URL form, e.g. `smtp://user:pass@host:587`);
 * otherwise each mail becomes `<emlDir>/<outbox id>.eml`, written whole then renamed, so a reader
 * never sees half a file and a re-send replaces the file instead of adding one.
 */
export function makeMailer(settings: MailerOptions): Mailer {
  if (settings.smtpUrl) {
    const transport = nodemailer.createTransport(settings.smtpUrl);
    return {
      kind: 'smtp',
      async send(mail) {
        await transport.sendMail(sendOptions(settings.from, mail));
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let made = false;
  return {
    kind: 'eml',
    async send(mail) {
      if (!made) {
        mkdirSync(settings.emlDir, { recursive: true });
        made = true;
      }
      const info = await transport.sendMail(sendOptions(settings.from, mail));
      const file = join(settings.emlDir, `${mail.id}.eml`);
      writeFileSync(`${file}.tmp`, info.message as Buffer);
      renameSync(`${file}.tmp`, file);
    },
    close: () => transport.close(),
  };
}
