import type { PublicEvent } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';

/** The public timeline: what happened, when, and which part (never which person) did it. */
export function Timeline({ events }: { events: PublicEvent[] }) {
  const { t, pick, time } = useI18n();
  return (
    <ol className="timeline" data-testid="timeline">
      {[...events].reverse().map((e, i) => (
        <li key={`${e.at}-${i}`} data-action={e.action}>
          <div className="when">{time(e.at)}</div>
          <div className="what">
            <strong>{pick(e.action_label)}</strong>
            {e.from !== e.to && <span className="badge">{pick(e.to_label)}</span>}
          </div>
          <div className="who muted small">
            {pick(e.by.label)}
            {e.by.department && ` · ${e.by.department}`}
          </div>
          {e.departments.length > 0 && (
            <div className="small">{t('case.sent_to', { departments: e.departments.join('、') })}</div>
          )}
          {e.reason && <div className="small reason">{e.reason}</div>}
        </li>
      ))}
    </ol>
  );
}
