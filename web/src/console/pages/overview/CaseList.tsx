import { useEffect, useState } from 'react';
import type { RegionLevel } from '../../../../../src/core/regions/codes.ts';
import type { CountKey } from '../../../../../src/core/indicators/indicators.ts';
import { stageLabel } from '../../../../../src/i18n/case-labels.ts';
import { follow } from '../../../router.ts';
import { labelOf, type Label } from '../../api.ts';
import { OFFLINE, useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import { useNames } from '../../names.ts';
import { LEVEL_DIGITS } from '../../../../../src/core/regions/codes.ts';
import { dayStart, nextDay } from '../../../../../src/core/indicators/period.ts';
import { casePath, workPath, type WorkTab } from '../../routes.ts';
import { overviewApi, type Measure } from './overview-api.ts';
import { placePath, type OverviewPlace } from './params.ts';

const PAGE = 100;

/** The numbers a worklist tab can show as well (GET /api/v1/cases has no grid or owner filter). */
const WORKLIST_TAB: Partial<Record<Measure, WorkTab>> = {
  cases: 'all',
  overdue: 'overdue',
  supervised: 'supervised',
};

interface Row {
  id: string;
  reference: string;
  stage: string;
  region_code: string;
  grid_code: string | null;
  owner_department_id: string | null;
  reported_at: string;
  category_code?: string | null;
  channel?: string;
  stage_deadline?: string | null;
  overdue?: boolean;
}

/**
 * The cases behind one number of the overview: the same filters and the same predicate as the
 * number (GET /api/v1/indicators/overview/cases, or /api/v1/indicators/cases for a count of the
 * indicators), so that its total is the number that was clicked.
 */
export function CaseList({
  params,
  place,
  region,
  scope,
}: {
  params: URLSearchParams;
  place: OverviewPlace;
  region: string;
  scope: { code: string; level: RegionLevel };
}) {
  const { t, pick, time } = useI18n();
  const names = useNames(scope);
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<Label | null>(null);
  const [busy, setBusy] = useState(false);
  const [where, setWhere] = useState<{ name: string; short: string | null } | null>(null);
  const filters = {
    region,
    from: place.from,
    to: place.to,
    grid: place.grid ?? undefined,
    department: place.department ?? undefined,
    category: place.category ?? undefined,
    channel: place.channel ?? undefined,
  };
  const key = JSON.stringify({ filters, cases: place.cases, count: place.count });

  const load = async (offset: number): Promise<void> => {
    setBusy(true);
    try {
      const page = place.cases
        ? await overviewApi.cases({
            ...filters,
            measure: place.cases,
            limit: String(PAGE),
            offset: String(offset),
          })
        : await overviewApi.indicatorCases({
            ...filters,
            category: undefined,
            channel: undefined,
            count: place.count ?? 'cases',
            limit: String(PAGE),
            offset: String(offset),
          });
      setRows((old) => (offset === 0 ? page.items : [...old, ...page.items]));
      setTotal(page.total);
      setError(null);
    } catch (e) {
      setError(labelOf(e, OFFLINE));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    let live = true;
    const named = place.grid
      ? overviewApi.grid(place.grid).then((g) => ({ name: `${g.community.name} · ${g.name}`, short: null }))
      : overviewApi
          .region(region)
          .then((r) => ({ name: r.name, short: r.code.slice(0, LEVEL_DIGITS[r.level]) }));
    named.then((w) => live && setWhere(w)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [region, place.grid]);

  useEffect(() => {
    setRows([]);
    setTotal(null);
    void load(0);
  }, [key]);

  const what = place.cases
    ? t(`overview.measure.${place.cases satisfies Measure}` as ConsoleKey)
    : t(`overview.count.${place.count satisfies CountKey | null}` as ConsoleKey);
  const back = placePath(params, {
    cases: null,
    count: null,
    category: null,
    channel: null,
    department: null,
  });
  const category = names.category(place.category);
  const tab = place.cases ? WORKLIST_TAB[place.cases] : undefined;
  const worklist =
    tab && where?.short && !place.department
      ? workPath(
          tab,
          new URLSearchParams({
            region: where.short,
            from: dayStart(place.from),
            to: dayStart(nextDay(place.to)),
            ...(place.category ? { category: place.category } : {}),
            ...(place.channel ? { channel: place.channel } : {}),
          }),
        )
      : null;

  return (
    <section className="ov-list" aria-labelledby="ov-list-title" data-testid="overview-cases">
      <p>
        <a href={back} onClick={follow} data-testid="overview-back">
          {t('overview.back')}
        </a>
      </p>
      <h1 id="ov-list-title">{t('overview.list.title', { what })}</h1>
      <dl className="ov-facts">
        <dt>{t('overview.list.region')}</dt>
        <dd translate="no">{where?.name ?? place.grid ?? region}</dd>
        <dt>{t('overview.period')}</dt>
        <dd>
          {place.from} – {place.to}
        </dd>
        {category && (
          <>
            <dt>{t('overview.category')}</dt>
            <dd>{pick(category)}</dd>
          </>
        )}
        {place.channel && (
          <>
            <dt>{t('overview.channel')}</dt>
            <dd>{t(`channel.${place.channel}` as ConsoleKey)}</dd>
          </>
        )}
        {place.department && (
          <>
            <dt>{t('overview.department')}</dt>
            <dd translate="no">{names.department(place.department)}</dd>
          </>
        )}
      </dl>
      {worklist && (
        <p>
          <a href={worklist} onClick={follow} data-testid="in-worklist">
            {t('overview.list.worklist')}
          </a>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {pick(error)}
        </p>
      )}
      <p role="status" data-testid="cases-total" data-total={total ?? ''}>
        {total === null ? t('loading') : t('work.total', { total })}
      </p>
      <table className="ov-table" data-testid="overview-case-rows">
        <thead>
          <tr>
            <th scope="col">{t('case.reference')}</th>
            <th scope="col">{t('case.stage')}</th>
            <th scope="col">{t('overview.category')}</th>
            <th scope="col">{t('overview.list.place')}</th>
            <th scope="col">{t('case.owner')}</th>
            <th scope="col">{t('case.reported_at')}</th>
            <th scope="col">{t('case.stage_deadline')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const cat = names.category(c.category_code ?? null);
            return (
              <tr key={c.id} data-reference={c.reference} data-overdue={c.overdue ? 'true' : undefined}>
                <td>
                  <a href={casePath(c.id)} onClick={follow} translate="no">
                    {c.reference}
                  </a>
                </td>
                <td>
                  {pick(stageLabel(c.stage))}
                  {c.overdue && <span className="ov-badge">{t('overview.measure.overdue')}</span>}
                </td>
                <td>{cat ? pick(cat) : ''}</td>
                <td translate="no">{c.grid_code ?? c.region_code}</td>
                <td translate="no">{names.department(c.owner_department_id)}</td>
                <td>{time(c.reported_at)}</td>
                <td>{c.stage_deadline ? time(c.stage_deadline) : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {total !== null && rows.length === 0 && <p>{t('work.empty')}</p>}
      {total !== null && rows.length < total && (
        <button type="button" disabled={busy} onClick={() => void load(rows.length)}>
          {t('work.more')}
        </button>
      )}
    </section>
  );
}
