import type { CaseSummary } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';

const MINUTE = 60_000;

/** Hours and minutes of working time, as the clock of the stage counts them. */
export function useDuration() {
  const { t } = useI18n();
  return (ms: number) => {
    const minutes = Math.round(Math.abs(ms) / MINUTE);
    const hours = Math.floor(minutes / 60);
    return hours > 0
      ? t('time.hours_minutes', { hours, minutes: minutes % 60 })
      : t('time.minutes', { minutes });
  };
}

/**
 * The traffic light of a running stage (green before 50 % of its limit, yellow from 50 %, red from
 * 80 % and when overdue: the server's stage-time.ts decides) with the time left. The colour is
 * never the only sign: the text says it too.
 */
export function Light({ clock }: { clock: CaseSummary['clock'] }) {
  const { t } = useI18n();
  const duration = useDuration();
  if (!clock) return <span className="light none">{t('clock.none')}</span>;
  const overdue = clock.remaining_ms < 0;
  return (
    <span
      className={`light ${clock.light}`}
      data-light={clock.light}
      title={t('clock.used', { percent: clock.used_percent })}
    >
      <span className="dot" aria-hidden="true" />
      {overdue
        ? t('clock.overdue', { time: duration(clock.remaining_ms) })
        : t('clock.left', { time: duration(clock.remaining_ms) })}
    </span>
  );
}
