import type { DigestEntry, Label, MailContent, QueueEntry } from './content.ts';
import { escapeHtml } from '../html.ts';

/** The links a mail may carry; src/mail builds them (signed where they act). */
export interface MailLinks {
  /** Confirms a subscription or an address (double opt-in). */
  confirm?: string;
  /** One-click unsubscribe; also sent as the List-Unsubscribe header. */
  unsubscribe?: string;
  /** Where to read the case (the resident site, or the staff console). */
  view?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Part {
  subject: string;
  lines: string[];
}

/** Instants as people in China read them: China Standard Time, minutes. */
export function showTime(iso: string | null): string {
  if (iso === null) return '—';
  const t = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

const ROLE: Record<'lead' | 'co', Label> = {
  lead: { zh: '主办', en: 'lead' },
  co: { zh: '协办', en: 'co-handler' },
};

function digestLine(e: DigestEntry, lang: keyof Label): string {
  const at = showTime(e.at);
  if (e.template === 'case_status') {
    return lang === 'zh'
      ? `· ${at} 事件 ${e.reference}：${e.action.zh}，现为“${e.to.zh}”`
      : `· ${at} case ${e.reference}: ${e.action.en}, now "${e.to.en}"`;
  }
  const category = e.category ? (lang === 'zh' ? `（${e.category.zh}）` : ` (${e.category.en})`) : '';
  return lang === 'zh'
    ? `· ${at} ${e.region.zh}新事件 ${e.reference}${category}`
    : `· ${at} new case ${e.reference} in ${e.region.en}${category}`;
}

function queueLine(c: QueueEntry, lang: keyof Label): string {
  const late = c.overdue ? (lang === 'zh' ? '【已超期】' : ' [OVERDUE]') : '';
  return lang === 'zh'
    ? `· ${c.reference} ${c.stage.zh}，时限 ${showTime(c.deadline)}${late}`
    : `· ${c.reference} ${c.stage.en}, due ${showTime(c.deadline)}${late}`;
}

/** The catalogue: what each mail says in Chinese and in English. */
function parts(c: MailContent): { zh: Part; en: Part } {
  switch (c.template) {
    case 'follow_confirm':
      return {
        zh: {
          subject: `请确认关注事件 ${c.reference}`,
          lines: [
            `有人（希望是您）请求用本邮箱关注事件 ${c.reference} 的办理进展。`,
            '请点击下面的确认链接；若非本人操作，请忽略本邮件，我们不会再发信。',
          ],
        },
        en: {
          subject: `Please confirm following case ${c.reference}`,
          lines: [
            `Someone (we hope you) asked to follow case ${c.reference} at this address.`,
            'Please open the confirmation link below; if it was not you, ignore this mail and nothing more will be sent.',
          ],
        },
      };
    case 'area_confirm':
      return {
        zh: {
          subject: `请确认订阅${c.area.zh}的新事件提醒`,
          lines: [
            `有人（希望是您）请求用本邮箱订阅“${c.area.zh}”的新事件提醒。`,
            '请点击下面的确认链接；若非本人操作，请忽略本邮件。',
          ],
        },
        en: {
          subject: `Please confirm alerts for new cases in ${c.area.en}`,
          lines: [
            `Someone (we hope you) asked for alerts about new cases in "${c.area.en}" at this address.`,
            'Please open the confirmation link below; if it was not you, ignore this mail.',
          ],
        },
      };
    case 'email_confirm':
      return {
        zh: {
          subject: '请确认您的邮箱地址',
          lines: [
            `账号 ${c.username} 请求使用本邮箱接收通知。`,
            '请点击下面的确认链接；若非本人操作，请忽略本邮件。',
          ],
        },
        en: {
          subject: 'Please confirm your e-mail address',
          lines: [
            `Account ${c.username} asked to receive notices at this address.`,
            'Please open the confirmation link below; if it was not you, ignore this mail.',
          ],
        },
      };
    case 'case_status':
      return {
        zh: {
          subject: `事件 ${c.reference}：${c.to.zh}`,
          lines: [
            `您关注的事件 ${c.reference} 于 ${showTime(c.at)} 有新进展：${c.action.zh}。`,
            `状态：${c.from.zh} → ${c.to.zh}`,
          ],
        },
        en: {
          subject: `Case ${c.reference}: ${c.to.en}`,
          lines: [
            `Case ${c.reference}, which you follow, moved on ${showTime(c.at)}: ${c.action.en}.`,
            `Status: ${c.from.en} → ${c.to.en}`,
          ],
        },
      };
    case 'area_new_case': {
      const category = c.category;
      return {
        zh: {
          subject: `${c.region.zh}有新事件 ${c.reference}`,
          lines: [
            `您订阅的区域于 ${showTime(c.at)} 有新上报事件 ${c.reference}（${c.region.zh}${category ? `，${category.zh}` : ''}）。`,
          ],
        },
        en: {
          subject: `New case ${c.reference} in ${c.region.en}`,
          lines: [
            `A new case ${c.reference} was reported in your area on ${showTime(c.at)} (${c.region.en}${category ? `, ${category.en}` : ''}).`,
          ],
        },
      };
    }
    case 'digest':
      return {
        zh: {
          subject: `今日摘要：${c.entries.length} 条更新`,
          lines: ['您订阅的事件与区域今日更新如下：', ...c.entries.map((e) => digestLine(e, 'zh'))],
        },
        en: {
          subject: `Daily digest: ${c.entries.length} updates`,
          lines: ['Updates of the cases and areas you follow:', ...c.entries.map((e) => digestLine(e, 'en'))],
        },
      };
    case 'staff_assignment':
      return {
        zh: {
          subject: `新派遣事件 ${c.reference}（${ROLE[c.role].zh}）`,
          lines: [`事件 ${c.reference} 已派遣给贵单位${ROLE[c.role].zh}，处置时限 ${showTime(c.deadline)}。`],
        },
        en: {
          subject: `Case ${c.reference} dispatched to you (${ROLE[c.role].en})`,
          lines: [
            `Case ${c.reference} was dispatched to your unit as ${ROLE[c.role].en}; handling is due ${showTime(c.deadline)}.`,
          ],
        },
      };
    case 'staff_deadline':
      return {
        zh: {
          subject: `时限提醒 ${c.threshold}%：事件 ${c.reference}`,
          lines: [
            `事件 ${c.reference}（${c.stage.zh}）已用去本阶段时限的 ${c.threshold}%，时限 ${showTime(c.deadline)}。`,
          ],
        },
        en: {
          subject: `Deadline ${c.threshold} %: case ${c.reference}`,
          lines: [
            `Case ${c.reference} (${c.stage.en}) has used ${c.threshold} % of its stage's time limit; due ${showTime(c.deadline)}.`,
          ],
        },
      };
    case 'staff_supervision':
      return {
        zh: {
          subject: `督办：事件 ${c.reference}`,
          lines: [
            `事件 ${c.reference} 已被督办，请尽快办理。`,
            ...(c.reason ? [`督办意见：${c.reason}`] : []),
          ],
        },
        en: {
          subject: `Supervision: case ${c.reference}`,
          lines: [
            `Case ${c.reference} is under supervision (督办): please act on it promptly.`,
            ...(c.reason ? [`Note: ${c.reason}`] : []),
          ],
        },
      };
    case 'staff_whistle':
      return {
        zh: {
          subject: `吹哨报到：事件 ${c.reference}`,
          lines: [
            `贵单位被“吹哨”召集办理事件 ${c.reference}，请于 ${showTime(c.report_in_deadline)} 前报到。`,
          ],
        },
        en: {
          subject: `Whistle: report in on case ${c.reference}`,
          lines: [
            `Your unit was summoned (吹哨) to case ${c.reference}: please report in by ${showTime(c.report_in_deadline)}.`,
          ],
        },
      };
    case 'staff_queue_digest':
      return {
        zh: {
          subject: `今日待办：${c.total} 件，超期 ${c.overdue} 件`,
          lines: [
            `您的待办事件共 ${c.total} 件，其中超期 ${c.overdue} 件${c.total > c.cases.length ? `；以下为时限最近的 ${c.cases.length} 件` : ''}：`,
            ...c.cases.map((e) => queueLine(e, 'zh')),
          ],
        },
        en: {
          subject: `Your queue today: ${c.total} cases, ${c.overdue} overdue`,
          lines: [
            `${c.total} cases wait for you, ${c.overdue} of them overdue${c.total > c.cases.length ? `; the ${c.cases.length} due soonest` : ''}:`,
            ...c.cases.map((e) => queueLine(e, 'en')),
          ],
        },
      };
  }
}

const LINK_LABELS: Record<keyof MailLinks, Label> = {
  confirm: { zh: '确认', en: 'Confirm' },
  view: { zh: '查看', en: 'View' },
  unsubscribe: { zh: '退订', en: 'Unsubscribe' },
};

/** A digest gathers several subscriptions: each entry carries its own unsubscribe link. */
function entryUnsubscribes(content: MailContent): Array<{ reference: string; url: string }> {
  if (content.template !== 'digest') return [];
  const seen = new Set<string>();
  return content.entries.flatMap((e) => {
    if (!e.unsubscribe || seen.has(e.unsubscribe)) return [];
    seen.add(e.unsubscribe);
    const reference = e.template === 'area_new_case' ? e.region.zh : e.reference;
    return [{ reference, url: e.unsubscribe }];
  });
}

/**
 * Subject, plain text and HTML of a mail: Chinese first, then English, in every part. Links are
 * shown in full in the text part, since many government mail clients show text only.
 */
export function renderMail(content: MailContent, links: MailLinks): RenderedMail {
  const { zh, en } = parts(content);
  const order: Array<keyof MailLinks> = ['confirm', 'view'];
  const shown = order.filter((k) => links[k]);
  const linkLines = (lang: keyof Label) => shown.map((k) => `${LINK_LABELS[k][lang]}: ${links[k]}`);
  const footer = [
    '—',
    '善治 Shanzhi',
    ...(links.unsubscribe ? [`退订 / Unsubscribe: ${links.unsubscribe}`] : []),
    ...entryUnsubscribes(content).map((e) => `退订 ${e.reference} / Unsubscribe ${e.reference}: ${e.url}`),
    '本邮件由系统自动发送，请勿回复。 / This mail was sent automatically; please do not reply.',
  ];
  const text = [...zh.lines, ...linkLines('zh'), '', ...en.lines, ...linkLines('en'), '', ...footer].join(
    '\n',
  );
  const p = (line: string) => `<p>${escapeHtml(line)}</p>`;
  const a = (k: keyof MailLinks, lang: keyof Label) =>
    `<p><a href="${escapeHtml(links[k]!)}">${escapeHtml(LINK_LABELS[k][lang])}</a></p>`;
  const html = [
    '<!doctype html><html><body>',
    `<div lang="zh-CN">${zh.lines.map(p).join('')}${shown.map((k) => a(k, 'zh')).join('')}</div>`,
    '<hr>',
    `<div lang="en">${en.lines.map(p).join('')}${shown.map((k) => a(k, 'en')).join('')}</div>`,
    '<hr>',
    `<p><small>善治 Shanzhi${
      links.unsubscribe ? ` · <a href="${escapeHtml(links.unsubscribe)}">退订 / Unsubscribe</a>` : ''
    }</small></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: `【善治】${zh.subject} / ${en.subject}`, text, html };
}
