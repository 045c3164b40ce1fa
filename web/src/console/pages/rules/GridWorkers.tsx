import { useState, type FormEvent } from 'react';
import { GRID_DUTIES } from '../../../../../src/core/grids/grid-duties.ts';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import { rulesApi, type GridDetail } from './rules-api.ts';

const DUTY_KEYS: Record<(typeof GRID_DUTIES)[number], ConsoleKey> = {
  full_time: 'rules.grids.duty.full_time',
  part_time: 'rules.grids.duty.part_time',
  specialist: 'rules.grids.duty.specialist',
};
const dutyKey = (duty: string) => DUTY_KEYS[duty as keyof typeof DUTY_KEYS] ?? null;

/** The grid workers of one grid; with grid.edit, put one on it or end an assignment (the history stays). */
export function GridWorkers({
  grid,
  editable,
  onChanged,
}: {
  grid: GridDetail;
  editable: boolean;
  onChanged(): void;
}) {
  const { t, pick, time } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const act = async (step: () => Promise<unknown>) => {
    setError(null);
    try {
      await step();
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void act(() =>
      rulesApi.assignWorker(grid.code, {
        worker_ref: String(form.get('worker_ref')).trim(),
        worker_name: String(form.get('worker_name')).trim(),
        duty: String(form.get('duty')),
      }),
    );
  };
  return (
    <div data-testid={`workers-${grid.code}`}>
      {grid.workers.length === 0 ? (
        <p>{t('rules.grids.no_workers')}</p>
      ) : (
        <ul>
          {grid.workers.map((w) => {
            const key = dutyKey(w.duty);
            return (
              <li key={w.worker_ref}>
                <span translate="no">
                  {w.worker_name} ({w.worker_ref})
                </span>{' '}
                · {key ? t(key) : w.duty} · {t('rules.grids.since', { at: time(w.assigned_at) })}
                {editable && (
                  <>
                    {' '}
                    <button
                      type="button"
                      onClick={() => void act(() => rulesApi.endWorker(grid.code, w.worker_ref))}
                    >
                      {t('rules.grids.end')}
                      <span className="sr-only" translate="no">
                        {' '}
                        {w.worker_name}
                      </span>
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {editable && (
        <form className="form-row" onSubmit={add} aria-label={t('rules.grids.assign')}>
          <label>
            {t('rules.grids.worker_ref')}
            <input name="worker_ref" required maxLength={64} />
          </label>
          <label>
            {t('rules.grids.worker_name')}
            <input name="worker_name" required maxLength={100} />
          </label>
          <label>
            {t('rules.grids.duty')}
            <select name="duty">
              {GRID_DUTIES.map((d) => (
                <option key={d} value={d}>
                  {t(DUTY_KEYS[d])}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t('rules.grids.assign')}</button>
        </form>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {pick(labelOf(error, OFFLINE))}
        </p>
      )}
    </div>
  );
}
