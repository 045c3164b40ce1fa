import { useEffect, useMemo, useState } from 'react';
import { api, type Category } from '../api.ts';
import { SITE_REGION } from '../config.ts';
import { useI18n } from '../i18n/index.tsx';

type Chosen = { code: string; name: string; name_en: string } | null;

const CACHE = `shanzhi.categories.${SITE_REGION}`;

/** The taxonomy from the API, kept for the next visit so that the form works offline. */
function useCategories(): Category[] | null {
  const [items, setItems] = useState<Category[] | null>(() => {
    try {
      return JSON.parse(localStorage.getItem(CACHE) ?? 'null') as Category[] | null;
    } catch {
      return null;
    }
  });
  useEffect(() => {
    api
      .categories(SITE_REGION)
      .then((res) => {
        setItems(res.items);
        localStorage.setItem(CACHE, JSON.stringify(res.items));
      })
      .catch(() => undefined); // offline: the cached list, if any, stays
  }, []);
  return items;
}

const MAX_SHOWN = 30;

/** Search over the leaf categories (where cases may be filed), each shown under its parent. */
export function CategoryPicker({ value, onChange }: { value: Chosen; onChange(c: Chosen): void }) {
  const { t, lang } = useI18n();
  const items = useCategories();
  const [query, setQuery] = useState('');
  const byCode = useMemo(() => new Map((items ?? []).map((c) => [c.code, c])), [items]);
  const name = (c: { name: string; name_en: string }) => (lang === 'en' && c.name_en ? c.name_en : c.name);
  const leaves = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (items ?? [])
      .filter((c) => c.leaf)
      .filter((c) => {
        if (!q) return true;
        const parent = c.parent_code ? byCode.get(c.parent_code) : undefined;
        return [c.name, c.name_en, c.code, parent?.name ?? '', parent?.name_en ?? ''].some((s) =>
          s.toLowerCase().includes(q),
        );
      })
      .slice(0, MAX_SHOWN);
  }, [items, query, byCode]);

  if (value) {
    return (
      <div className="chosen" data-testid="category-chosen">
        <span>{name(value)}</span>
        <button type="button" className="link" onClick={() => onChange(null)}>
          {t('report.category.change')}
        </button>
      </div>
    );
  }
  return (
    <div className="category-picker">
      <input
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={t('report.category.search')}
        aria-label={t('report.category.search')}
        data-testid="category-search"
      />
      {items === null ? (
        <p className="muted">{t('report.category.loading')}</p>
      ) : leaves.length === 0 ? (
        <p className="muted">{t('report.category.none')}</p>
      ) : (
        <ul className="choices" role="listbox">
          {leaves.map((c) => {
            const parent = c.parent_code ? byCode.get(c.parent_code) : undefined;
            return (
              <li key={c.code}>
                <button
                  type="button"
                  role="option"
                  aria-selected={false}
                  data-code={c.code}
                  onClick={() => onChange({ code: c.code, name: c.name, name_en: c.name_en })}
                >
                  <span>{name(c)}</span>
                  {parent && <small>{name(parent)}</small>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
