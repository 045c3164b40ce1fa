import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'shanzhi.lang';

export interface I18n<K extends string> {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: K, values?: Record<string, string | number>): string;
  /** Picks the language's side of a label the API sends (`{ zh, en }`). */
  pick(label: { zh: string; en: string }): string;
  /** A date and time as people read it in the chosen language, in China time. */
  time(iso: string): string;
}

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh' ? saved : 'zh'; // Chinese first, whatever the browser says
}

/**
 * One provider and hook per catalogue pair: the resident site and the staff console each have
 * their own keys, and share the language choice (one storage key), the formats and the rules.
 */
export function makeI18n<K extends string>(catalogs: Record<Lang, Record<K, string>>) {
  const Context = createContext<I18n<K> | null>(null);

  function I18nProvider({ children }: { children: ReactNode }) {
    const [lang, setLangState] = useState<Lang>(initialLang);
    useEffect(() => {
      document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    }, [lang]);
    const setLang = useCallback((next: Lang) => {
      localStorage.setItem(STORAGE_KEY, next);
      setLangState(next);
    }, []);
    const value = useMemo<I18n<K>>(() => {
      const catalog = catalogs[lang];
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

  function useI18n(): I18n<K> {
    const value = useContext(Context);
    if (!value) throw new Error('useI18n outside I18nProvider');
    return value;
  }

  return { I18nProvider, useI18n };
}
