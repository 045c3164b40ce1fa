import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en.ts';
import { zh, type MessageKey } from './zh.ts';

export type Lang = 'zh' | 'en';
const CATALOGS: Record<Lang, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'shanzhi.lang';

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** Picks the language's side of a label the API sends (`{ zh, en }`). */
  pick(label: { zh: string; en: string }): string;
  /** A date and time as people read it in the chosen language, in China time. */
  time(iso: string): string;
}

const Context = createContext<I18n | null>(null);

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh' ? saved : 'zh'; // Chinese first, whatever the browser says
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const catalog = CATALOGS[lang];
    const format = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    });
    return {
      lang,
      setLang,
      t: (key, values = {}) =>
        catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
          values[name] === undefined ? whole : String(values[name]),
        ),
      pick: (label) => label[lang],
      time: (iso) => format.format(new Date(iso)),
    };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
