import { makeI18n, type I18n as GenericI18n } from '../../i18n/make-i18n.tsx';
import { en } from './en.ts';
import { zh, type ConsoleKey } from './zh.ts';

export type I18n = GenericI18n<ConsoleKey>;

/** The message for a call that got no answer, in both languages (for labelOf). */
export const OFFLINE = { zh: zh['net.offline'], en: en['net.offline'] };

/** The staff console's texts (zh.ts, en.ts); the language choice is the resident site's too. */
export const { I18nProvider, useI18n } = makeI18n<ConsoleKey>({ zh, en });
