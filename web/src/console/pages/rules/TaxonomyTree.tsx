import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { RegionPicker, useAllowed, useRuleRegion } from './RegionPicker.tsx';
import { rulesApi, type CategoryItem } from './rules-api.ts';

type Editing = { mode: 'add' | 'rename'; code: string | null } | null;

/**
 * 事项分类 as the region sees it (docs/taxonomy.md): the province's base, its ancestors' additions
 * and its own. Those who may edit the taxonomy here add subcategories and rename the categories
 * the region defined; the server refuses what the inheritance rules forbid, with its reason.
 */
export default function TaxonomyTree({ params }: { params: URLSearchParams }) {
  const { t, pick } = useI18n();
  const { region, error: regionError, inScope } = useRuleRegion(params);
  const canEdit = useAllowed('taxonomy.edit', inScope);
  const [items, setItems] = useState<CategoryItem[] | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [shut, setShut] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const code = region?.code;

  const load = useCallback(() => {
    if (!code) return;
    rulesApi
      .categories(code)
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [code]);
  useEffect(load, [load]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!editing || !code) return;
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const name_en = String(form.get('name_en') ?? '').trim() || undefined;
    setError(null);
    try {
      const saved =
        editing.mode === 'add'
          ? await rulesApi.addCategory({ region: code, parent_code: editing.code, name, name_en })
          : await rulesApi.renameCategory(editing.code!, { region: code, name, name_en });
      setDone(t(editing.mode === 'add' ? 'rules.tax.added' : 'rules.tax.renamed', { code: saved.code }));
      setEditing(null);
      load();
    } catch (e) {
      setError(e);
    }
  };

  if (regionError) return <p className="error">{pick(labelOf(regionError, OFFLINE))}</p>;
  if (!region || !items) return <p role="status">{t('loading')}</p>;
  const children = new Map<string | null, CategoryItem[]>();
  for (const c of items) children.set(c.parent_code, [...(children.get(c.parent_code) ?? []), c]);

  const form = (current?: CategoryItem) => (
    <form className="form-row" onSubmit={(e) => void submit(e)} data-testid="category-form">
      <label>
        {t('rules.tax.name')}
        <input name="name" required maxLength={60} defaultValue={current?.name} />
      </label>
      <label>
        {t('rules.tax.name_en')}
        <input name="name_en" maxLength={120} defaultValue={current?.name_en} />
      </label>
      <button type="submit" className="primary">
        {t(editing?.mode === 'add' ? 'rules.tax.add' : 'rules.tax.rename')}
      </button>
      <button type="button" onClick={() => setEditing(null)}>
        {t('rules.cancel')}
      </button>
    </form>
  );

  const node = (c: CategoryItem) => {
    const kids = children.get(c.code) ?? [];
    const line = (
      <>
        <code translate="no">{c.code}</code> <span translate="no">{c.name}</span>{' '}
        {c.name_en && (
          <span className="muted small" translate="no">
            {c.name_en}
          </span>
        )}{' '}
        {c.leaf && <span className="badge">{t('rules.tax.leaf')}</span>}
        {region.level !== 'province' && c.region_code === region.code && (
          <span className="badge">{t('rules.tax.own')}</span>
        )}
        {canEdit && (
          <span className="row-actions">
            {' '}
            <button type="button" className="link" onClick={() => setEditing({ mode: 'add', code: c.code })}>
              {t('rules.tax.add_under')}
              <span className="sr-only" translate="no">
                {' '}
                {c.code}
              </span>
            </button>
            {c.region_code === region.code && (
              <>
                {' · '}
                <button
                  type="button"
                  className="link"
                  onClick={() => setEditing({ mode: 'rename', code: c.code })}
                >
                  {t('rules.tax.rename')}
                  <span className="sr-only" translate="no">
                    {' '}
                    {c.code}
                  </span>
                </button>
              </>
            )}
          </span>
        )}
      </>
    );
    const open = c.depth > 1 ? shut.has(c.code) : !shut.has(c.code);
    const toggle = () =>
      setShut((s) => {
        const next = new Set(s);
        if (next.has(c.code)) next.delete(c.code);
        else next.add(c.code);
        return next;
      });
    return (
      <li key={c.code} data-code={c.code}>
        {kids.length > 0 && (
          <button
            type="button"
            className="link toggle"
            aria-expanded={open}
            aria-controls={`cat-${c.code}`}
            onClick={toggle}
          >
            {open ? '−' : '+'}
            <span className="sr-only">
              {t(open ? 'rules.tax.collapse' : 'rules.tax.expand', { code: c.code })}
            </span>
          </button>
        )}{' '}
        {line}
        {editing?.code === c.code && form(editing.mode === 'rename' ? c : undefined)}
        {kids.length > 0 && open && <ul id={`cat-${c.code}`}>{kids.map(node)}</ul>}
      </li>
    );
  };

  return (
    <section aria-labelledby="tax-title" data-testid="taxonomy">
      <h1 id="tax-title">{t('rules.section.taxonomy')}</h1>
      <RegionPicker region={region} stopAt="county" />
      <p>
        {t('rules.tax.count', { count: items.length })}
        {!canEdit && <span className="badge">{t('rules.read_only')}</span>}{' '}
        <a className="button" href={`/api/v1/categories/export?region=${region.code}&format=csv`} download>
          {t('rules.files.export_csv')}
        </a>
      </p>
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {pick(labelOf(error, OFFLINE))}
        </p>
      )}
      {canEdit && region.level === 'province' && (
        <p>
          <button type="button" onClick={() => setEditing({ mode: 'add', code: null })}>
            {t('rules.tax.add_root')}
          </button>
        </p>
      )}
      {editing?.code === null && form()}
      <div className="tree card">
        <ul>{(children.get(null) ?? []).map(node)}</ul>
      </div>
    </section>
  );
}
