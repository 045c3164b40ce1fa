import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { DEPARTMENT_TYPES } from '../../../../../src/core/organisation/department-types.ts';
import {
  DEPARTMENT_TYPE_LABELS,
  REGION_LEVEL_LABELS,
} from '../../../../../src/i18n/responsibility-labels.ts';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { RegionPicker, useAllowed, useRuleRegion } from './RegionPicker.tsx';
import { rulesApi, type Department } from './rules-api.ts';

/**
 * 部门与处置单位 of the region's subtree. Adding one needs department.edit over the region
 * (administrators); there is no rename or removal in the API yet, so rows are read-only.
 */
export default function Departments({ params }: { params: URLSearchParams }) {
  const { t, pick } = useI18n();
  const { region, error: regionError, inScope } = useRuleRegion(params);
  const canAdd = useAllowed('department.edit', inScope);
  const [items, setItems] = useState<Department[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const code = region?.code;

  const load = useCallback(() => {
    if (!code) return;
    rulesApi
      .departments(code)
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [code]);
  useEffect(load, [load]);

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    setError(null);
    setDone(null);
    try {
      const created = await rulesApi.addDepartment({
        id: String(form.get('id')).trim(),
        name: String(form.get('name')).trim(),
        type: String(form.get('type')) as Department['type'],
        region: code!,
      });
      setDone(t('rules.dept.added', { id: created.id }));
      target.reset();
      load();
    } catch (e) {
      setError(e);
    }
  };

  if (regionError) return <p className="error">{pick(labelOf(regionError, OFFLINE))}</p>;
  if (!region || !items) return <p role="status">{t('loading')}</p>;
  return (
    <section aria-labelledby="dept-title" data-testid="departments">
      <h1 id="dept-title">{t('rules.section.departments')}</h1>
      <RegionPicker region={region} stopAt="township" />
      {!canAdd && <span className="badge">{t('rules.read_only')}</span>}
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
      {canAdd && (
        <form className="form-row card" onSubmit={(e) => void add(e)} aria-labelledby="dept-add">
          <h2 id="dept-add">{t('rules.dept.add')}</h2>
          <label>
            {t('rules.dept.id')}
            <input name="id" required pattern="[a-z0-9\-]{3,64}" aria-describedby="dept-id-hint" />
            <span className="small muted" id="dept-id-hint">
              {t('rules.dept.id_hint')}
            </span>
          </label>
          <label>
            {t('rules.dept.name')}
            <input name="name" required />
          </label>
          <label>
            {t('rules.dept.type')}
            <select name="type">
              {DEPARTMENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {pick(DEPARTMENT_TYPE_LABELS[type])}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary">
            {t('rules.dept.add')}
          </button>
        </form>
      )}
      <div className="table-wrap">
        <table>
          <caption>{t('rules.dept.count', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rules.dept.name')}</th>
              <th scope="col">{t('rules.dept.type')}</th>
              <th scope="col">{t('rules.coverage.region')}</th>
              <th scope="col">{t('rules.dept.id')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td translate="no">{d.name}</td>
                <td>{pick(DEPARTMENT_TYPE_LABELS[d.type])}</td>
                <td>
                  <span translate="no">{d.region_code}</span> {pick(REGION_LEVEL_LABELS[d.region_level])}
                </td>
                <td>
                  <code translate="no">{d.id}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
