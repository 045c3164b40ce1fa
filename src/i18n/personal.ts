import { formatMessage, type Message } from './messages.ts';

/** What `shanzhi keys …` says (docs/personal-data.md), Chinese first. */
const KEYS_TEXTS = {
  progress: { zh: '已重新加密 {done} 条', en: '{done} rows re-sealed' },
  rotated: {
    zh: '密钥轮换完成：全部个人信息现以密钥 {key_id} 加密（本次重新加密 {resealed} 条，{batches} 批）',
    en: 'Key rotation done: all personal data is now sealed under key {key_id} ({resealed} rows re-sealed in {batches} batches)',
  },
} satisfies Record<string, Message>;

export function keysLine(kind: keyof typeof KEYS_TEXTS, facts: Record<string, unknown>): string {
  const m = KEYS_TEXTS[kind];
  return `${formatMessage(m.zh, facts)} / ${formatMessage(m.en, facts)}`;
}
