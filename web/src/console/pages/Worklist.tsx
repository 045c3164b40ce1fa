import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { CHANNELS, STAGES } from '../../../../src/core/workflow/stages.ts';
import { stageLabel } from '../../../../src/i18n/case-labels.ts';
import { follow, navigate } from '../../router.ts';
import { api, labelOf, type CaseQuery, type CaseSummary, type Label } from '../api.ts';
import { Light } from '../components/Light.tsx';
import { OFFLINE, useI18n } from '../i18n/index.tsx';
import { useNames } from '../names.ts';
import { casePath, TABS, workPath, type WorkTab } from '../routes.ts';
import { useSession } from '../session.tsx';
import type { ConsoleKey } from '../i18n/index.tsx';

/** Each tab is a set of list filters of GET /api/v1/cases; the server decides what is "mine". */
const WORK_TABS: Record<WorkTab, CaseQuery> = {
  mine: { assigned_to: 'me' },
  due: { assigned_to: 'me', due_within: '24', sort: 'deadline' },
  overdue: { overdue: 'true', sort: 'deadline' },
  returned: { assigned_to: 'me', returned: 'true' },
  verify: { assigned_to: 'me', status: 'awaiting_verification' },
  summoned: { summoned: 'true' },
  supervised: { supervised: 'true' },
  all: {},
};

/** The filters a user may set, kept in the query string. */
const FILTERS = ['q', 'region', 'category', 'status', 'channel', 'from', 'to', 'sort'] as const;

/** A list refreshes this often while shown (a 304 when nothing changed: the list's ETag). */
const REFRESH_MS = 4000;

function filtersOf(params: URLSearchParams): CaseQuery {
  const out: CaseQuery = {};
  for (const key of FILTERS) {
    const value = params.get(key);
    if (value) out[key] = key === 'from' || key === 'to' ? new Date(value).toISOString() : value;
  }
  return out;
}

export function Worklist({ tab, params }: { tab: WorkTab; params: URLSearchParams }) {
  const { t, pick, time } = useI18n();
  const { me } = useSession();
  const names = useNames(me.user.scope);
  const search = params.toString();
  const listQuery: CaseQuery = { ...WORK_TABS[tab], ...filtersOf(new URLSearchParams(search)) };
  const queryKey = JSON.stringify(listQuery);
  const [items, setItems] = useState<CaseSummary[]>([]);
  const [total, setTotal] = useState<{ n: number; exact: boolean } | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Label | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const loaded = useRef(0);

  // The first pages again, as many rows as the user has loaded: the list changes in place and
  // the user keeps their place (scroll, loaded pages).
  const refresh = useCallback(async () => {
    const query = JSON.parse(queryKey) as CaseQuery;
    try {
      const page = await api.cases({ ...query, limit: String(Math.min(200, Math.max(50, loaded.current))) });
      setItems(page.items);
      loaded.current = page.items.length;
      setTotal({ n: page.total, exact: page.total_exact });
      setCursor(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(labelOf(e, OFFLINE));
    }
  }, [queryKey]);

  useEffect(() => {
    loaded.current = 0;
    setItems([]);
    setTotal(null);
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.cases({ ...(JSON.parse(queryKey) as CaseQuery), cursor, limit: '50' });
      setItems((old) => [...old, ...page.items.filter((i) => !old.some((o) => o.id === i.id))]);
      loaded.current += page.items.length;
      setCursor(page.next_cursor);
    } finally {
      setLoadingMore(false);
    }
  };

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of FILTERS) {
      const value = String(form.get(key) ?? '').trim();
      if (value) next.set(key, value);
    }
    navigate(workPath(tab, next));
  };

  const current = new URLSearchParams(search);
  return (
    <section className="worklist" aria-labelledby="worklist-title">
      <h1 id="worklist-title">{t('work.title')}</h1>
      <nav className="tabs" aria-label={t('work.tabs')}>
        {TABS.map((name) => (
          <a
            key={name}
            href={workPath(name, current)}
            onClick={follow}
            aria-current={name === tab ? 'page' : undefined}
            data-tab={name}
          >
            {t(`work.tab.${name}` as ConsoleKey)}
          </a>
        ))}
      </nav>
      <form className="filters" onSubmit={applyFilters} key={search} aria-label={t('work.filters')}>
        <label>
          {t('work.q')}
          <input
            name="q"
            type="search"
            defaultValue={current.get('q') ?? ''}
            placeholder={t('work.q.hint')}
          />
        </label>
        <label>
          {t('work.region')}
          <input
            name="region"
            defaultValue={current.get('region') ?? ''}
            inputMode="numeric"
            placeholder="330106002"
          />
        </label>
        <label>
          {t('work.category')}
          <input name="category" defaultValue={current.get('category') ?? ''} placeholder="BJ03" />
        </label>
        <label>
          {t('work.stage')}
          <select name="status" defaultValue={current.get('status') ?? ''}>
            <option value="">{t('work.any')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {pick(stageLabel(s))}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('work.channel')}
          <select name="channel" defaultValue={current.get('channel') ?? ''}>
            <option value="">{t('work.any')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}` as ConsoleKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('work.from')}
          <input name="from" type="date" defaultValue={current.get('from') ?? ''} />
        </label>
        <label>
          {t('work.to')}
          <input name="to" type="date" defaultValue={current.get('to') ?? ''} />
        </label>
        <label>
          {t('work.sort')}
          <select name="sort" defaultValue={current.get('sort') ?? ''}>
            <option value="">{t('work.sort.newest')}</option>
            <option value="oldest">{t('work.sort.oldest')}</option>
            <option value="deadline">{t('work.sort.deadline')}</option>
          </select>
        </label>
        <div className="buttons">
          <button type="submit">{t('work.apply')}</button>
          <a className="button" href={api.exportUrl(listQuery)} download data-testid="export">
            {t('work.export')}
          </a>
        </div>
      </form>
      {error && (
        <p className="error" role="alert">
          {pick(error)}
        </p>
      )}
      <p className="muted" role="status" data-testid="total" data-total={total?.n ?? ''}>
        {total === null
          ? t('loading')
          : t(total.exact ? 'work.total' : 'work.total_more', { total: total.n.toLocaleString() })}
      </p>
      <table className="cases" data-testid="worklist">
        <thead>
          <tr>
            <th scope="col">{t('case.reference')}</th>
            <th scope="col">{t('case.title')}</th>
            <th scope="col">{t('case.stage')}</th>
            <th scope="col">{t('case.time_left')}</th>
            <th scope="col">{t('case.owner')}</th>
            <th scope="col">{t('case.reported_at')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-id={c.id} data-reference={c.reference}>
              <td>
                <a href={casePath(c.id)} onClick={follow}>
                  {c.reference}
                </a>
              </td>
              <td>
                <span translate="no">{c.title}</span>
                <div className="muted small">
                  {c.category && pick(names.category(c.category)!)}
                  {c.return_count > 0 && (
                    <span className="badge warn">{t('case.returned', { n: c.return_count })}</span>
                  )}
                  {c.rework_count > 0 && (
                    <span className="badge warn">{t('case.reworked', { n: c.rework_count })}</span>
                  )}
                </div>
              </td>
              <td data-status={c.status}>{pick(stageLabel(c.status))}</td>
              <td>
                <Light clock={c.clock} />
              </td>
              <td translate="no">{names.department(c.owner_department_id)}</td>
              <td>{time(c.reported_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && total !== null && <p className="empty">{t('work.empty')}</p>}
      {cursor && (
        <button type="button" onClick={() => void more()} disabled={loadingMore} data-testid="more">
          {t('work.more')}
        </button>
      )}
    </section>
  );
}
