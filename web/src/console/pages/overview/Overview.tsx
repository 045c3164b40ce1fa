import './overview.css';
import { useCallback, useEffect, useMemo, useState, type ChangeEvent } from 'react';
import type { IndicatorKey } from '../../../../../src/core/indicators/indicators.ts';
import { isWithin } from '../../../../../src/core/regions/codes.ts';
import { TREND_BUCKETS } from '../../../../../src/core/indicators/overview.ts';
import { follow, navigate } from '../../../router.ts';
import { api, labelOf, type Indicators, type Label } from '../../api.ts';
import { OFFLINE, useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import { useNames } from '../../names.ts';
import { casePath } from '../../routes.ts';
import { useSession } from '../../session.tsx';
import { CaseList } from './CaseList.tsx';
import { Chart } from './Chart.tsx';
import { GridMap } from './GridMap.tsx';
import { overviewApi, type Measure, type OverviewData } from './overview-api.ts';
import { casesPath, countPath, PERIODS, placePath, readPlace, type OverviewPlace } from './params.ts';

export interface OverviewProps {
  params: URLSearchParams;
}

/** The rates shown beside the counts, in this order (docs/indicators.md). */
const RATES: IndicatorKey[] = [
  'on_time_handling_rate',
  'closure_rate',
  'response_rate',
  'resolution_rate',
  'satisfaction_rate',
  'rework_rate',
];

const TILES = [
  'cases',
  'open',
  'overdue',
  'closed',
  'escalated',
  'supervised',
  'returned',
] as const satisfies readonly Measure[];

/**
 * The command-centre overview (issue 11): for a region and a period, the counts and rates, the
 * drill-down province → … → grid with breadcrumbs, trend, category and channel mix, the grid map,
 * escalated and supervised cases, the departments. Every number is a link to the cases behind it
 * (CaseList). `wall=1` is the wall screen: full screen, large type, refreshed by itself.
 */
export default function Overview({ params }: OverviewProps) {
  const { me } = useSession();
  const search = params.toString();
  const current = useMemo(() => new URLSearchParams(search), [search]);
  const place = readPlace(current);
  const region = place.region ?? me.user.scope.code;
  if (place.cases || place.count)
    return <CaseList params={current} place={place} region={region} scope={me.user.scope} />;
  return <Dashboard params={current} place={place} region={region} />;
}

/** A number, and the link to the cases behind it. */
function Num({ href, value }: { href: string; value: number }) {
  const { lang } = useI18n();
  return (
    <a href={href} onClick={follow} className="ov-num" data-value={value}>
      {value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}
    </a>
  );
}

function Dashboard({
  params,
  place,
  region,
}: {
  params: URLSearchParams;
  place: OverviewPlace;
  region: string;
}) {
  const { t, pick, time, lang, setLang } = useI18n();
  const { me } = useSession();
  const names = useNames(me.user.scope);
  const [data, setData] = useState<OverviewData | null>(null);
  const [rates, setRates] = useState<Indicators | null>(null);
  const [error, setError] = useState<Label | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const query = useMemo(
    () => ({ region, from: place.from, to: place.to, grid: place.grid ?? undefined }),
    [region, place.from, place.to, place.grid],
  );
  const queryKey = JSON.stringify({ ...query, bucket: place.bucket });

  const load = useCallback(async () => {
    const q = JSON.parse(queryKey) as Record<string, string | undefined>;
    try {
      const [overview, indicators] = await Promise.all([
        overviewApi.overview(q),
        api.indicators(
          Object.fromEntries(
            Object.entries({ region: q.region, from: q.from, to: q.to, grid: q.grid }).filter(
              (e): e is [string, string] => e[1] !== undefined,
            ),
          ),
        ),
      ]);
      setData(overview);
      setRates(indicators);
      setError(null);
      setRefreshes((n) => n + 1);
    } catch (e) {
      setError(labelOf(e, OFFLINE));
    }
  }, [queryKey]);

  useEffect(() => {
    void load();
    if (!place.wall) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, place.refreshS * 1000);
    return () => clearInterval(timer);
  }, [load, place.wall, place.refreshS]);

  const scope = me.user.scope;
  const mayRead = (code: string, level: string) =>
    level !== 'grid' && isWithin(code, scope.code, scope.level as Parameters<typeof isWithin>[2]);
  const change = (key: string) => (e: ChangeEvent<HTMLSelectElement>) =>
    navigate(
      placePath(params, { [key]: e.target.value || null, ...(key === 'period' ? { bucket: null } : {}) }),
    );
  const fmt = (n: number) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  const placeName = data?.grid?.name ?? data?.region.name ?? '';

  const trendOption = useMemo(() => {
    if (!data) return {};
    return {
      tooltip: { trigger: 'axis' },
      legend: {
        top: 0,
        data: [t('overview.measure.cases'), t('overview.measure.closed'), t('overview.measure.overdue')],
      },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: data.trend.map((b) => b.start) },
      yAxis: { type: 'value', minInterval: 1 },
      series: (['cases', 'closed', 'overdue'] as const).map((k) => ({
        name: t(`overview.measure.${k}`),
        type: 'line',
        data: data.trend.map((b) => b[k]),
      })),
    };
  }, [data, t]);

  const categoryRows = data?.categories.slice(0, 10) ?? [];
  const categoryName = (code: string | null) => {
    const c = names.category(code);
    return c ? pick(c) : t('overview.category.none');
  };
  const categoryOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 110, right: 16, top: 8, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: categoryRows.map((c) => categoryName(c.code)) },
      series: [{ type: 'bar', name: t('overview.measure.cases'), data: categoryRows.map((c) => c.cases) }],
    }),
    [data, names.departments, lang],
  );
  const channelOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: (data?.channels ?? []).map((c) => ({
            name: t(`channel.${c.channel}` as ConsoleKey),
            value: c.cases,
          })),
        },
      ],
    }),
    [data, t],
  );

  if (!data) {
    return (
      <section className={place.wall ? 'ov ov-wall' : 'ov'}>
        <h1>{t('overview.title')}</h1>
        {error ? (
          <p className="error" role="alert">
            {pick(error)}
          </p>
        ) : (
          <p role="status">{t('loading')}</p>
        )}
      </section>
    );
  }

  const crumbs = [
    ...data.region.path,
    { code: data.region.code, name: data.region.name, level: data.region.level },
  ];
  const gridOf = data.grid;
  const drillHref = (c: OverviewData['children'][number]) =>
    c.kind === 'grid'
      ? placePath(params, { grid: c.code })
      : placePath(params, { region: c.code, grid: null });
  const narrowTo = (c: OverviewData['children'][number]) =>
    c.kind === 'grid' ? { grid: c.code } : { region: c.code, grid: null };

  return (
    <section
      className={place.wall ? 'ov ov-wall' : 'ov'}
      aria-labelledby="ov-title"
      data-testid={place.wall ? 'wall' : 'overview'}
      data-refreshes={refreshes}
      data-region={data.region.code}
      data-grid={data.grid?.code ?? ''}
    >
      <header className="ov-head">
        <div>
          <h1 id="ov-title">
            {t('overview.title')} · <span translate="no">{placeName}</span>
          </h1>
          <nav aria-label={t('overview.breadcrumbs')} className="ov-crumbs" data-testid="breadcrumbs">
            <ol>
              {crumbs.map((r, i) => {
                const last = i === crumbs.length - 1 && !gridOf;
                return (
                  <li key={r.code}>
                    {last ? (
                      <span aria-current="page" translate="no">
                        {r.name}
                      </span>
                    ) : mayRead(r.code, r.level) ? (
                      <a
                        href={placePath(params, { region: r.code, grid: null })}
                        onClick={follow}
                        translate="no"
                        data-code={r.code}
                      >
                        {r.name}
                      </a>
                    ) : (
                      <span translate="no">{r.name}</span>
                    )}
                  </li>
                );
              })}
              {gridOf && (
                <li>
                  <span aria-current="page" translate="no">
                    {gridOf.name}
                  </span>
                </li>
              )}
            </ol>
          </nav>
        </div>
        <form className="ov-controls" onSubmit={(e) => e.preventDefault()}>
          <label>
            {t('overview.period')}
            <select value={place.period} onChange={change('period')} data-testid="period">
              {PERIODS.map((p) => (
                <option key={p} value={p}>
                  {t(`overview.period.${p}`)}
                </option>
              ))}
              {!(PERIODS as readonly string[]).includes(place.period) && (
                <option value={place.period}>
                  {place.from} – {place.to}
                </option>
              )}
            </select>
          </label>
          <label>
            {t('overview.bucket')}
            <select value={place.bucket} onChange={change('bucket')} data-testid="bucket">
              {TREND_BUCKETS.map((b) => (
                <option key={b} value={b}>
                  {t(`overview.bucket.${b}`)}
                </option>
              ))}
            </select>
          </label>
          {place.wall ? (
            <>
              {/* The wall covers the console's header: its own language switch. */}
              <button
                type="button"
                lang={lang === 'zh' ? 'en' : 'zh-CN'}
                translate="no"
                onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
              >
                {t('lang.switch')}
              </button>
              <button type="button" onClick={() => void document.documentElement.requestFullscreen?.()}>
                {t('overview.wall.fullscreen')}
              </button>
              <a href={placePath(params, { wall: null, refresh: null })} onClick={follow} className="button">
                {t('overview.wall.leave')}
              </a>
            </>
          ) : (
            <a
              href={placePath(params, { wall: '1' })}
              onClick={follow}
              className="button"
              data-testid="wall-link"
            >
              {t('overview.wall.enter')}
            </a>
          )}
        </form>
        <p className="ov-muted" role="status" data-testid="as-of">
          {t('overview.as_of', { time: time(data.as_of) })}
          {place.wall && ` · ${t('overview.wall.every', { s: place.refreshS })}`}
        </p>
      </header>
      {error && (
        <p className="error" role="alert">
          {pick(error)}
        </p>
      )}

      <ul className="ov-tiles" aria-label={t('overview.totals')}>
        {TILES.map((k) => (
          <li key={k} className={`ov-tile ov-tile-${k}`} data-testid={`tile-${k}`}>
            <span className="ov-tile-label">{t(`overview.measure.${k}`)}</span>
            <Num href={casesPath(params, k)} value={data.totals[k]} />
          </li>
        ))}
      </ul>

      {rates && (
        <section className="ov-card" aria-labelledby="ov-rates">
          <h2 id="ov-rates">{t('overview.rates')}</h2>
          <ul className="ov-rates">
            {RATES.map((k) => {
              const r = rates.indicators[k];
              return (
                <li key={k} data-testid={`rate-${k}`}>
                  <span className="ov-tile-label">{t(`overview.rate.${k}` as ConsoleKey)}</span>
                  <a href={countPath(params, r.numerator_key)} onClick={follow} className="ov-rate">
                    {pct(r.value)}
                  </a>
                  <span className="ov-muted">
                    <a href={countPath(params, r.numerator_key)} onClick={follow}>
                      {fmt(r.numerator)}
                    </a>{' '}
                    /{' '}
                    <a href={countPath(params, r.denominator_key)} onClick={follow}>
                      {fmt(r.denominator)}
                    </a>
                    {!r.meaningful && ` · ${t('overview.rate.small')}`}
                  </span>
                </li>
              );
            })}
          </ul>
          <p className="ov-muted">{t('overview.rates.note', { n: rates.min_sample })}</p>
        </section>
      )}

      <div className="ov-grid2">
        {data.children.length > 0 && (
          <section className="ov-card" aria-labelledby="ov-drill">
            <h2 id="ov-drill">
              {t(
                data.children[0]!.kind === 'grid'
                  ? 'overview.drill.grids'
                  : (`overview.drill.${data.children[0]!.level}` as ConsoleKey),
              )}
            </h2>
            <div className="ov-scroll">
              <table className="ov-table" data-testid="drill">
                <thead>
                  <tr>
                    <th scope="col">{t('overview.name')}</th>
                    <th scope="col">{t('overview.measure.cases')}</th>
                    <th scope="col">{t('overview.measure.open')}</th>
                    <th scope="col">{t('overview.measure.overdue')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.children.map((c) => (
                    <tr key={c.code} data-code={c.code} className={c.overdue > 0 ? 'ov-hot' : undefined}>
                      <th scope="row">
                        <a href={drillHref(c)} onClick={follow} translate="no" data-code={c.code}>
                          {c.name}
                        </a>
                      </th>
                      <td>
                        <Num href={casesPath(params, 'cases', narrowTo(c))} value={c.cases} />
                      </td>
                      <td>
                        <Num href={casesPath(params, 'open', narrowTo(c))} value={c.open} />
                      </td>
                      <td>
                        <Num href={casesPath(params, 'overdue', narrowTo(c))} value={c.overdue} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
        <section className="ov-card" aria-labelledby="ov-map">
          <h2 id="ov-map">{t('overview.map')}</h2>
          <GridMap
            data={data}
            within={data.region.code}
            query={query}
            onGrid={(code) => navigate(placePath(params, { region: code.slice(0, 12), grid: code }))}
          />
        </section>
      </div>

      <section className="ov-card" aria-labelledby="ov-trend">
        <h2 id="ov-trend">{t('overview.trend', { bucket: t(`overview.bucket.${place.bucket}`) })}</h2>
        <Chart
          dark={place.wall}
          option={trendOption}
          label={t('overview.trend.label')}
          testId="trend-chart"
          onPick={({ seriesIndex, dataIndex }) => {
            const b = data.trend[dataIndex];
            const m = (['cases', 'closed', 'overdue'] as const)[seriesIndex];
            if (b && m) navigate(casesPath(params, m, { period: `${b.first}..${b.last}` }));
          }}
        />
        <details>
          <summary>{t('overview.table')}</summary>
          <div className="ov-scroll">
            <table className="ov-table" data-testid="trend">
              <thead>
                <tr>
                  <th scope="col">{t(`overview.bucket.${place.bucket}`)}</th>
                  <th scope="col">{t('overview.measure.cases')}</th>
                  <th scope="col">{t('overview.measure.closed')}</th>
                  <th scope="col">{t('overview.measure.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {data.trend.map((b) => {
                  const period = `${b.first}..${b.last}`;
                  return (
                    <tr key={b.start}>
                      <th scope="row">{b.first === b.last ? b.first : `${b.first} – ${b.last}`}</th>
                      {(['cases', 'closed', 'overdue'] as const).map((k) => (
                        <td key={k}>
                          <Num href={casesPath(params, k, { period })} value={b[k]} />
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <div className="ov-grid2">
        <section className="ov-card" aria-labelledby="ov-categories">
          <h2 id="ov-categories">{t('overview.categories')}</h2>
          <Chart
            dark={place.wall}
            option={categoryOption}
            label={t('overview.categories.label')}
            height={Math.max(120, categoryRows.length * 28 + 32)}
            onPick={({ dataIndex }) => {
              const c = categoryRows[dataIndex];
              if (c?.code) navigate(casesPath(params, 'cases', { category: c.code }));
            }}
          />
          <div className="ov-scroll">
            <table className="ov-table" data-testid="categories">
              <thead>
                <tr>
                  <th scope="col">{t('overview.category')}</th>
                  <th scope="col">{t('overview.measure.cases')}</th>
                  <th scope="col">{t('overview.measure.open')}</th>
                  <th scope="col">{t('overview.measure.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {data.categories.map((c) => (
                  <tr key={c.code ?? ''}>
                    <th scope="row">{categoryName(c.code)}</th>
                    {(['cases', 'open', 'overdue'] as const).map((k) =>
                      c.code ? (
                        <td key={k}>
                          <Num href={casesPath(params, k, { category: c.code })} value={c[k]} />
                        </td>
                      ) : (
                        <td key={k}>{fmt(c[k])}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="ov-card" aria-labelledby="ov-channels">
          <h2 id="ov-channels">{t('overview.channels')}</h2>
          <Chart
            dark={place.wall}
            option={channelOption}
            label={t('overview.channels.label')}
            onPick={({ dataIndex }) => {
              const c = data.channels[dataIndex];
              if (c) navigate(casesPath(params, 'cases', { channel: c.channel }));
            }}
          />
          <table className="ov-table" data-testid="channels">
            <thead>
              <tr>
                <th scope="col">{t('overview.channel')}</th>
                <th scope="col">{t('overview.measure.cases')}</th>
                <th scope="col">{t('overview.measure.open')}</th>
                <th scope="col">{t('overview.measure.overdue')}</th>
              </tr>
            </thead>
            <tbody>
              {data.channels.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{t(`channel.${c.channel}` as ConsoleKey)}</th>
                  {(['cases', 'open', 'overdue'] as const).map((k) => (
                    <td key={k}>
                      <Num href={casesPath(params, k, { channel: c.channel })} value={c[k]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <div className="ov-grid2">
        {(['escalated', 'supervised'] as const).map((k) => (
          <section key={k} className="ov-card" aria-labelledby={`ov-${k}`} data-testid={`list-${k}`}>
            <h2 id={`ov-${k}`}>
              {t(`overview.${k}.title`)} · <Num href={casesPath(params, k)} value={data.totals[k]} />
            </h2>
            {data.recent[k].length === 0 ? (
              <p className="ov-muted">{t('overview.none')}</p>
            ) : (
              <ul className="ov-cases">
                {data.recent[k].map((c) => (
                  <li key={c.id}>
                    <a href={casePath(c.id)} onClick={follow} translate="no">
                      {c.reference}
                    </a>{' '}
                    <span className="ov-muted">{time(c.reported_at)}</span>
                    {c.overdue && <span className="ov-badge">{t('overview.measure.overdue')}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>

      <section className="ov-card" aria-labelledby="ov-departments">
        <h2 id="ov-departments">{t('overview.departments')}</h2>
        <div className="ov-scroll">
          <table className="ov-table" data-testid="departments">
            <thead>
              <tr>
                <th scope="col">{t('overview.department')}</th>
                <th scope="col">{t('overview.dept.on_time')}</th>
                <th scope="col">{t('overview.dept.on_time_counts')}</th>
                <th scope="col">{t('overview.dept.return')}</th>
                <th scope="col">{t('overview.dept.return_counts')}</th>
              </tr>
            </thead>
            <tbody>
              {data.departments.map((d) => (
                <tr key={d.id}>
                  <th scope="row" translate="no">
                    {names.department(d.id)}
                  </th>
                  <td>
                    {pct(d.on_time_rate)}
                    {!d.meaningful && <span className="ov-muted"> · {t('overview.rate.small')}</span>}
                  </td>
                  <td>
                    <Num
                      href={casesPath(params, 'handled_on_time', { department: d.id })}
                      value={d.handled_on_time}
                    />{' '}
                    /{' '}
                    <Num
                      href={casesPath(params, 'should_handle', { department: d.id })}
                      value={d.should_handle}
                    />
                  </td>
                  <td>{pct(d.return_rate)}</td>
                  <td>
                    <Num href={casesPath(params, 'returned', { department: d.id })} value={d.returned} /> /{' '}
                    <Num
                      href={casesPath(params, 'dispatched_to', { department: d.id })}
                      value={d.dispatched_to}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="ov-muted">{t('overview.dept.note')}</p>
      </section>
    </section>
  );
}
