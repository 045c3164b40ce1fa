import { en } from './en.ts';
import { makeI18n, type I18n as GenericI18n } from './make-i18n.tsx';
import { zh, type MessageKey } from './zh.ts';

export type { Lang } from './make-i18n.tsx';
export type I18n = GenericI18n<MessageKey>;

/** The resident site's texts (zh.ts, en.ts). */
export const { I18nProvider, useI18n } = makeI18n<MessageKey>({ zh, en });
