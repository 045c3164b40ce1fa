import { join } from 'node:path';

/** Mail settings from the environment (listed in README.md and docs/mail.md). */
export interface MailConfig {
  /** `smtp://user:pass@host:587` or `smtps://…:465` (nodemailer URL); none: .eml files instead. */
  smtpUrl: string | undefined;
  /** Where .eml files go without SMTP: `<SHANZHI_DATA_DIR>/mail`. */
  emlDir: string;
  from: string;
  /** Base of the links in mails (confirm, unsubscribe, view): how residents reach this server. */
  publicUrl: string;
  /** How often the server looks for due mail and digests (0: never; `shanzhi mail deliver` runs it once). */
  intervalSeconds: number;
  /** Days sent mail stays in the outbox before the server deletes it (0: kept for ever). */
  keepSentDays: number;
}

export function loadMailConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): MailConfig {
  const seconds = Number(env.SHANZHI_MAIL_SECONDS ?? 10);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(`SHANZHI_MAIL_SECONDS: expected a number ≥ 0, got "${env.SHANZHI_MAIL_SECONDS}"`);
  }
  const keep = Number(env.SHANZHI_MAIL_KEEP_DAYS ?? 30);
  if (!Number.isFinite(keep) || keep < 0) {
    throw new Error(`SHANZHI_MAIL_KEEP_DAYS: expected a number ≥ 0, got "${env.SHANZHI_MAIL_KEEP_DAYS}"`);
  }
  return {
    smtpUrl: env.SMTP_URL || undefined,
    emlDir: join(dataDir, 'mail'),
    from: env.MAIL_FROM || '善治 Shanzhi <no-reply@shanzhi.invalid>',
    publicUrl: (env.SHANZHI_PUBLIC_URL || `http://localhost:${env.PORT || 8080}`).replace(/\/+$/, ''),
    intervalSeconds: seconds,
    keepSentDays: keep,
  };
}
