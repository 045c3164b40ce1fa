import type { PublicDuplicate } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { casePath, navigate } from '../router.ts';

/** "Is it one of these?": following an existing case instead of filing the same problem again. */
export function Duplicates({ items, onNone }: { items: PublicDuplicate[]; onNone(): void }) {
  const { t, pick, time } = useI18n();
  return (
    <section className="card duplicates" data-testid="duplicates" aria-live="polite">
      <h2>{t('dup.title')}</h2>
      <p className="muted">{t('dup.hint')}</p>
      <ul>
        {items.map((d) => (
          <li key={d.id}>
            <div>
              <strong>{d.title}</strong>
              <span className="badge">{pick(d.status_label)}</span>
            </div>
            <div className="muted small">
              {d.reference} · {time(d.reported_at)} · {t('dup.distance', { m: Math.round(d.distance_m) })}
            </div>
            <button
              type="button"
              className="secondary"
              onClick={() => navigate(`${casePath(d.reference)}#follow`)}
            >
              {t('dup.follow')}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="primary" onClick={onNone} data-testid="not-duplicate">
        {t('dup.mine')}
      </button>
    </section>
  );
}
