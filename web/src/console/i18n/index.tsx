import { makeI18n, type I18n as GenericI18n } from '../../i18n/make-i18n.tsx';
import { en } from './en.ts';
import { zh, type ConsoleKey } from './zh.ts';

export type I18n = GenericI18n<ConsoleKey>;

/** The staff console's texts (zh.ts, en.ts); the language choice is the resident site's too. */
export const { I18nProvider, useI18n } = makeI18n<ConsoleKey>({ zh, en });
