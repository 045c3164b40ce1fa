import { makeI18n, type I18n as GenericI18n } from '../../i18n/make-i18n.tsx';
import { en as baseEn } from './en.ts';
import { gridEn, gridZh } from './grid.ts';
import { overviewEn, overviewZh } from './overview.ts';
import { rulesEn, rulesZh } from './rules.ts';
import { zh as baseZh } from './zh.ts';

/**
 * The staff console's texts: the shell, sign-in, worklists and case page (zh.ts, en.ts), and one
 * file per page group (overview, grid, rules). The language choice is the resident site's too.
 */
const zh = { ...baseZh, ...overviewZh, ...gridZh, ...rulesZh };
const en: Record<ConsoleKey, string> = { ...baseEn, ...overviewEn, ...gridEn, ...rulesEn };

export type ConsoleKey = keyof typeof zh;
export type I18n = GenericI18n<ConsoleKey>;

/** The message for a call that got no answer, in both languages (for labelOf). */
export const OFFLINE = { zh: zh['net.offline'], en: en['net.offline'] };

export const { I18nProvider, useI18n } = makeI18n<ConsoleKey>({ zh, en });
