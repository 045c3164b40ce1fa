import type { MailContent } from '../core/mail/content.ts';
import { renderMail, type MailLinks } from '../core/mail/templates.ts';
import { readJson } from '../db/dialect.ts';
import type { OutboxPayload } from './enqueue.ts';
import type { LinkBuilder } from './links.ts';
import type { OutgoingMail } from './mailer.ts';

/** Renders an outbox row into the mail to send: links signed now, texts from the templates. */
export function composeMail(
  row: { id: string; message_id: string; payload: unknown },
  links: LinkBuilder,
  date: Date,
): OutgoingMail {
  const payload = readJson<OutboxPayload>(row.payload);
  const stored = payload.links;
  const urls: MailLinks = {
    ...(stored.confirm ? { confirm: links.action(stored.confirm) } : {}),
    ...(stored.unsubscribe ? { unsubscribe: links.action({ p: 'unsubscribe', ...stored.unsubscribe }) } : {}),
    ...(stored.view ? { view: links.view(stored.view) } : {}),
  };
  let content: MailContent = payload.content;
  if (content.template === 'digest' && payload.entry_links) {
    const entryLinks = payload.entry_links;
    content = {
      ...content,
      entries: content.entries.map((e, i) => {
        const from = entryLinks[i];
        return from ? { ...e, unsubscribe: links.action({ p: 'unsubscribe', ...from }) } : e;
      }),
    };
  }
  const rendered = renderMail(content, urls);
  // RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the link.
  const headers: Record<string, string> = urls.unsubscribe
    ? { 'List-Unsubscribe': `<${urls.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    : {};
  return { id: row.id, messageId: row.message_id, to: payload.to, ...rendered, headers, date };
}
