import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { RegionPicker, useAllowed, useRuleRegion } from './RegionPicker.tsx';
import { rulesApi, type HolidayYears } from './rules-api.ts';

/** `春节: 2027-02-06, 2027-02-07` per line → `{ 春节: [...] }`; the server checks every date. */
function parseHolidays(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const at = line.search(/[:：]/);
    if (at < 0) continue;
    const name = line.slice(0, at).trim();
    out[name] = [...(out[name] ?? []), ...dates(line.slice(at + 1))];
  }
  return out;
}
const dates = (text: string) =>
  text
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** `08:30-12:00, 13:30-17:30` → periods; the server refuses malformed or overlapping ones. */
const parsePeriods = (text: string) =>
  dates(text).map((p) => {
    const [start = '', end = ''] = p.split(/[-–~]/);
    return { start: start.trim(), end: end.trim() };
  });

/**
 * 工作日历 (docs/calendar.md): the holiday years the deadlines are counted by, and a region's work
 * periods. Loading a year is national (the server allows it to a province's administrator only and
 * says so to anyone else); work periods need calendar.edit over the region.
 */
export default function CalendarRules({ params }: { params: URLSearchParams }) {
  const { t, pick, time } = useI18n();
  const { region, inScope } = useRuleRegion(params);
  const canEdit = useAllowed('calendar.edit', inScope);
  const [years, setYears] = useState<HolidayYears['items'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [periods, setPeriodsInForce] = useState<Awaited<ReturnType<typeof rulesApi.workPeriods>> | null>(
    null,
  );
  const code = region?.code;
  const loadPeriods = useCallback(() => {
    if (code) rulesApi.workPeriods(code).then(setPeriodsInForce).catch(setError);
  }, [code]);
  useEffect(loadPeriods, [loadPeriods]);

  const load = useCallback(() => {
    rulesApi
      .years()
      .then((r) => setYears(r.items))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const act = async (step: () => Promise<string>) => {
    setError(null);
    setDone(null);
    try {
      setDone(await step());
    } catch (e) {
      setError(e);
    }
  };
  const loadYear = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void act(async () => {
      const answer = await rulesApi.loadYear({
        year: Number(form.get('year')),
        notice: String(form.get('notice')).trim(),
        holidays: parseHolidays(String(form.get('holidays'))),
        makeupDays: dates(String(form.get('makeup'))),
      });
      load();
      return t('rules.cal.loaded', {
        year: answer.year,
        holidays: answer.holidays,
        makeup: answer.makeup_days,
      });
    });
  };
  const setPeriods = (text: string | null) =>
    void act(async () => {
      await rulesApi.setWorkPeriods(region!.code, text === null ? null : parsePeriods(text));
      loadPeriods();
      return t(text === null ? 'rules.cal.periods_cleared' : 'rules.cal.periods_set');
    });

  return (
    <section aria-labelledby="cal-title" data-testid="calendar">
      <h1 id="cal-title">{t('rules.section.calendar')}</h1>
      {!canEdit && <span className="badge">{t('rules.read_only')}</span>}
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
      {!years ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <table>
          <caption>{t('rules.cal.years')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rules.cal.year')}</th>
              <th scope="col">{t('rules.cal.notice')}</th>
              <th scope="col">{t('rules.cal.source')}</th>
              <th scope="col">{t('rules.cal.holiday_days')}</th>
              <th scope="col">{t('rules.cal.makeup_days')}</th>
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <tr key={y.year}>
                <td>{y.year}</td>
                <td translate="no">{y.notice}</td>
                <td>
                  {y.source === 'loaded' && y.loaded_at
                    ? t('rules.cal.loaded_at', { at: time(y.loaded_at) })
                    : t('rules.cal.shipped')}
                </td>
                <td>{y.holiday_days}</td>
                <td>{y.makeup_days}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <form className="card" onSubmit={loadYear} aria-labelledby="cal-load">
          <h2 id="cal-load">{t('rules.cal.load')}</h2>
          <p className="muted small">{t('rules.cal.load_hint')}</p>
          <div className="form-row">
            <label>
              {t('rules.cal.year')}
              <input name="year" type="number" required min="2000" max="2100" />
            </label>
            <label>
              {t('rules.cal.notice')}
              <input name="notice" required size={40} />
            </label>
          </div>
          <label>
            {t('rules.cal.holidays')}
            <textarea name="holidays" rows={6} required aria-describedby="cal-holidays-hint" />
            <span className="small muted" id="cal-holidays-hint">
              {t('rules.cal.holidays_hint')}
            </span>
          </label>
          <label>
            {t('rules.cal.makeup')}
            <input name="makeup" size={60} />
          </label>
          <p>
            <button type="submit" className="primary">
              {t('rules.cal.load')}
            </button>
          </p>
        </form>
      )}
      {region && (
        <section className="card" aria-labelledby="cal-periods" data-testid="work-periods">
          <h2 id="cal-periods">{t('rules.cal.periods')}</h2>
          <RegionPicker region={region} stopAt="township" />
          {periods && (
            <p data-testid="periods-in-force">
              {t('rules.cal.in_force', {
                periods: periods.periods.map((p) => `${p.start}–${p.end}`).join(t('rules.list_sep')),
              })}{' '}
              <span className="muted small">
                {periods.periods_from === null
                  ? t('rules.cal.default')
                  : periods.periods_from === periods.region
                    ? t('rules.cal.own_setting')
                    : t('rules.cal.inherited', { region: periods.periods_from })}
              </span>
            </p>
          )}
          {canEdit && (
            <form
              key={periods?.periods.map((p) => `${p.start}-${p.end}`).join(', ')}
              onSubmit={(e) => {
                e.preventDefault();
                setPeriods(String(new FormData(e.currentTarget).get('periods')));
              }}
            >
              <label>
                {t('rules.cal.periods_of', { region: region.name })}
                <input
                  name="periods"
                  required
                  defaultValue={periods?.periods.map((p) => `${p.start}-${p.end}`).join(', ')}
                  aria-describedby="cal-periods-hint"
                />
                <span className="small muted" id="cal-periods-hint">
                  {t('rules.cal.periods_hint')}
                </span>
              </label>
              <p className="buttons">
                <button type="submit" className="primary">
                  {t('rules.cal.periods_save')}
                </button>
                <button type="button" onClick={() => setPeriods(null)}>
                  {t('rules.cal.periods_clear')}
                </button>
              </p>
            </form>
          )}
        </section>
      )}
    </section>
  );
}
