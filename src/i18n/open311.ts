import type { AttributeDatatype } from '../core/open311/attributes.ts';
import { formatMessage, type Message } from './messages.ts';

/**
 * Texts of the Open311 interface (docs/open311.md). Open311 fields carry one string, so they hold
 * both languages, Chinese first: `已结案 / Closed`.
 */
export function bilingual(text: Message): string {
  return text.zh === text.en || text.en === '' ? text.zh : `${text.zh} / ${text.en}`;
}

export const OPEN311_TEXTS = {
  serviceNotice: {
    zh: '已受理，编号 {reference}。请凭编号查询办理进度。',
    en: 'Received as {reference}; follow its progress by this number.',
  },
  mergedInto: { zh: '已合并至 {reference}', en: 'merged into {reference}' },
  answers: { zh: '补充信息', en: 'Details' },
  addressId: { zh: '地址编号 {id}', en: 'address id {id}' },
  note: { zh: '外部系统更新（{status}）', en: 'Update from an outside system ({status})' },
  keyService: {
    zh: 'API 密钥由平台管理员签发（管理接口 POST /api/v1/open311/keys）',
    en: 'API keys are issued by the platform administrators (admin API POST /api/v1/open311/keys)',
  },
  sandboxNotice: {
    zh: '测试请求 {reference} 已通过全部校验，不会办理，一天后删除。',
    en: 'Test request {reference} passed every check; it is never handled and is deleted after a day.',
  },
  sandboxStatus: {
    zh: '测试请求：已按正式接口校验，不会办理，一天后删除',
    en: 'Test request: checked as production checks it, never handled, deleted after a day',
  },
  discoveryContact: {
    zh: '善治平台管理员（见本站说明）',
    en: 'The administrators of this Shanzhi platform (see its documentation)',
  },
} satisfies Record<string, Message>;

export function fill(text: Message, details: Record<string, unknown>): Message {
  return { zh: formatMessage(text.zh, details), en: formatMessage(text.en, details) };
}

/**
 * What a service attribute's `datatype_description` says when its definition gives none: some XML
 * clients fail on an empty element, so GET services/{code} always fills it (bilingual()).
 */
export const DATATYPE_DESCRIPTIONS: Record<AttributeDatatype, Message> = {
  string: { zh: '文字，一行', en: 'Text, one line' },
  number: { zh: '数字', en: 'A number' },
  datetime: {
    zh: '日期时间（W3C 格式，含时区）',
    en: 'Date and time (W3C format with time zone)',
  },
  text: { zh: '文字，可多行', en: 'Text, several lines allowed' },
  singlevaluelist: { zh: '从列表中选一项', en: 'Choose one of the values' },
  multivaluelist: { zh: '从列表中选一项或多项', en: 'Choose one or more of the values' },
};
