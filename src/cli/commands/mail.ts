import { loadConfig } from '../../config.ts';
import { systemClock } from '../../core/clock.ts';
import type { Store } from '../../db/database.ts';
import { setAccountEmail } from '../../mail/account-email.ts';
import { deliverOutbox } from '../../mail/deliver-outbox.ts';
import { linkSigner } from '../../mail/link-secret.ts';
import { makeLinkBuilder } from '../../mail/links.ts';
import { loadMailConfig } from '../../mail/mail-config.ts';
import { makeMailer } from '../../mail/mailer.ts';
import { retryFailedMail, outboxStatus } from '../../mail/outbox-status.ts';
import { purgeSentMail } from '../../mail/purge-outbox.ts';
import { sendDigests } from '../../mail/send-digests.ts';
import { sendQueueDigests } from '../../mail/send-queue-digests.ts';
import type { Command } from '../command.ts';

async function deliverOnce(store: Store): Promise<string> {
  const config = loadMailConfig(loadConfig().dataDir);
  const mailer = makeMailer({ smtpUrl: config.smtpUrl, emlDir: config.emlDir, from: config.from });
  try {
    const digests = await sendDigests({ store, clock: systemClock });
    const queue = await sendQueueDigests({ store, clock: systemClock });
    const links = makeLinkBuilder(config.publicUrl, await linkSigner(store.db));
    const r = await deliverOutbox({ store, clock: systemClock, mailer, links });
    const where = mailer.kind === 'smtp' ? 'SMTP' : config.emlDir;
    return `${digests.digests + queue.digests} digests written; ${r.sent} mails sent (${where}), ${r.retried} to retry, ${r.failed} failed`;
  } finally {
    mailer.close();
  }
}

export const MAIL_COMMANDS: Record<string, Command> = {
  'mail deliver': {
    usage: 'shanzhi mail deliver',
    summary: '发送到期邮件与每日摘要一次（SMTP_URL，或写入数据目录的 .eml）/ Send due mail and digests once',
    options: {},
    run: deliverOnce,
  },
  'mail status': {
    usage: 'shanzhi mail status',
    summary: '邮件发件箱状态：待发、已发、失败及原因 / Outbox counts and the reasons of failed mail',
    options: {},
    async run(store) {
      const s = await outboxStatus(store.db);
      process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return '';
    },
  },
  'mail purge': {
    usage: 'shanzhi mail purge',
    summary:
      '删除超过保留期（SHANZHI_MAIL_KEEP_DAYS，默认 30 天）的已发邮件 / Delete sent mail older than its retention',
    options: {},
    async run(store) {
      const days = loadMailConfig(loadConfig().dataDir).keepSentDays;
      if (days === 0) return 'SHANZHI_MAIL_KEEP_DAYS=0: sent mail is kept';
      const n = await purgeSentMail({ db: store.db, clock: systemClock }, { keepDays: days });
      return `${n} sent mails older than ${days} days deleted`;
    },
  },
  'mail retry': {
    usage: 'shanzhi mail retry',
    summary: '将失败的邮件重新排队 / Requeue failed mail for another round of attempts',
    options: {},
    async run(store) {
      const n = await retryFailedMail({ db: store.db, clock: systemClock });
      return `${n} failed mails requeued`;
    },
  },
  'mail set-email': {
    usage: 'shanzhi mail set-email <username> <address|->',
    summary:
      '设置账号通知邮箱（- 为删除）；工作人员同时订阅每日待办摘要 / Set an account’s address (- removes it)',
    options: {},
    positionals: 2,
    async run(store, _values, [username, address]) {
      const s = await setAccountEmail(
        { store, clock: systemClock },
        username!,
        address === '-' ? null : address!,
      );
      return s.email ? `address set; daily queue digest ${s.queue_digest ? 'on' : 'off'}` : 'address removed';
    },
  },
};
