import type { AuditIssue, IssueKind } from '../core/audit/issues.ts';
import { formatMessage, type Message } from './messages.ts';

/** What `shanzhi audit verify` says of each issue (docs/audit.md), Chinese first. */
const ISSUE_TEXTS: Record<IssueKind, Message> = {
  'event.changed': {
    zh: '事件 {case_id} 第 {version} 版的内容与其哈希不符：已被修改或伪造',
    en: 'case {case_id} version {version}: the event does not match its hash (changed or forged)',
  },
  'event.moved': {
    zh: '事件 {case_id} 第 {version} 版原是第 {expected} 版：事件顺序被调换',
    en: 'case {case_id} version {version}: the event was written as version {expected} (events reordered)',
  },
  'event.link': {
    zh: '事件 {case_id} 第 {version} 版未接在前一版之后：其前有记录被删除或插入',
    en: 'case {case_id} version {version}: the event does not follow the one before (an event removed or inserted before it)',
  },
  'event.missing': {
    zh: '事件 {case_id} 缺少第 {version}–{to_version} 版的记录：已被删除',
    en: 'case {case_id}: the events of versions {version}–{to_version} are missing (removed)',
  },
  'event.extra': {
    zh: '事件 {case_id} 第 {version} 版不在案件的版本序列内（案件为第 {expected} 版）：为插入的记录',
    en: 'case {case_id} version {version}: the event lies outside the case’s versions (the case is at version {expected}): inserted',
  },
  'event.unchained': {
    zh: '事件 {case_id} 第 {version} 版没有哈希：绕过了记录链写入',
    en: 'case {case_id} version {version}: the event has no hash (written past the chain)',
  },
  'case.head': {
    zh: '事件 {case_id}（第 {version} 版）记录的最后哈希与其最后一条记录不符',
    en: 'case {case_id} (version {version}): the case row’s last event hash is not its last event’s',
  },
  'audit.changed': {
    zh: '审计日志第 {row_id} 行的内容与其哈希不符：已被修改或伪造',
    en: 'audit_log row {row_id}: the row does not match its hash (changed or forged)',
  },
  'audit.link': {
    zh: '审计日志第 {row_id} 行未接在前一行之后：其前有行被删除、插入或调换',
    en: 'audit_log row {row_id}: the row does not follow the one before (a row removed, inserted or reordered before it)',
  },
  'audit.unchained': {
    zh: '审计日志第 {row_id} 行没有哈希：绕过了记录链写入',
    en: 'audit_log row {row_id}: the row has no hash (written past the chain)',
  },
  'audit.head': {
    zh: '审计日志链的末端应为第 {expected} 行，表中最后一行却是第 {found} 行：末尾有行被删除或追加',
    en: 'audit_log: the chain ends at row {expected} but the table at row {found} (rows removed from or appended to the end)',
  },
  'anchor.changed': {
    zh: '{period} 的锚点与其摘要不符：已被修改',
    en: 'anchor {period}: the anchor does not match its digest (changed)',
  },
  'anchor.link': {
    zh: '{period} 的锚点未接在前一锚点之后：锚点被删除或插入',
    en: 'anchor {period}: the anchor does not follow the one before (an anchor removed or inserted)',
  },
  'anchor.events': {
    zh: '{period} 的事件记录与当日锚点不符（锚定时 {expected} 件，现为 {found} 件）：当日记录被改写、删除或插入',
    en: 'anchor {period}: that day’s events no longer add up to the anchor ({expected} cases anchored, {found} now): rewritten, removed or inserted',
  },
  'anchor.audit_log': {
    zh: '{period} 的锚点所记审计日志行（第 {expected} 行）已不同：审计日志被改写',
    en: 'anchor {period}: the audit_log row it recorded (row {expected}) is no longer the same: audit_log rewritten',
  },
  'anchor.file': {
    zh: '{period} 的锚点与库外锚点文件不符或文件中没有',
    en: 'anchor {period}: missing from the anchor file, or another digest there',
  },
  'anchor.removed': {
    zh: '库外锚点文件中有 {period} 的锚点，数据库中却没有：锚点被删除',
    en: 'anchor {period}: in the anchor file but not in the database (removed)',
  },
};

/** One issue as a line: Chinese / English, then the kind in brackets. */
export function describeIssue(issue: AuditIssue): string {
  const text = ISSUE_TEXTS[issue.kind];
  const facts = issue as unknown as Record<string, unknown>;
  return `${formatMessage(text.zh, facts)} / ${formatMessage(text.en, facts)} [${issue.kind}]`;
}

export const AUDIT_TEXTS = {
  clean: {
    zh: '校验通过：{cases} 件事件的 {events} 条记录、{audit_rows} 行审计日志、{anchors} 个锚点均完好',
    en: 'verified: {events} events of {cases} cases, {audit_rows} audit_log rows and {anchors} anchors are intact',
  },
  failed: {
    zh: '校验未通过：发现 {count} 处问题（{cases} 件事件、{audit_rows} 行审计日志、{anchors} 个锚点）',
    en: 'verification failed: {count} problem(s) found ({cases} cases, {audit_rows} audit_log rows, {anchors} anchors)',
  },
  anchored: {
    zh: '已锚定 {count} 天（{first} 至 {last}）',
    en: 'anchored {count} days ({first} to {last})',
  },
  nothing: { zh: '没有需要锚定的日期', en: 'no day to anchor yet' },
} satisfies Record<string, Message>;

/** A text of AUDIT_TEXTS with its facts filled in, Chinese / English. */
export function auditLine(key: keyof typeof AUDIT_TEXTS, facts: Record<string, unknown>): string {
  const text = AUDIT_TEXTS[key];
  return `${formatMessage(text.zh, facts)} / ${formatMessage(text.en, facts)}`;
}
