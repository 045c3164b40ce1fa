import { useState, type ChangeEvent } from 'react';
import { api, type Upload } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';

/** Evidence photos of a step: uploaded at once, then named by their URL in the step's evidence. */
export function PhotoInput({ value, onChange }: { value: Upload[]; onChange(next: Upload[]): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(0);
  const [failed, setFailed] = useState(false);

  const add = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])].slice(0, 9 - value.length);
    event.target.value = '';
    setFailed(false);
    let next = value;
    for (const file of files) {
      setBusy((n) => n + 1);
      try {
        next = [...next, await api.upload(file)];
        onChange(next);
      } catch {
        setFailed(true);
      } finally {
        setBusy((n) => n - 1);
      }
    }
  };

  return (
    <div className="photos">
      <ul>
        {value.map((p) => (
          <li key={p.id} data-uploaded="true">
            <img
              src={`${p.thumbnail_url ?? p.url}?key=${encodeURIComponent(p.upload_key)}`}
              alt={t('photo.alt')}
            />
            <button
              type="button"
              className="remove"
              aria-label={t('photo.remove')}
              onClick={() => onChange(value.filter((x) => x.id !== p.id))}
            >
              ×
            </button>
          </li>
        ))}
        {value.length < 9 && (
          <li>
            <label className="add">
              <span aria-hidden="true">＋</span>
              <span className="small">{t('photo.add')}</span>
              <input
                type="file"
                accept="image/*"
                capture="environment"
                multiple
                onChange={(e) => void add(e)}
                data-testid="evidence-input"
              />
            </label>
          </li>
        )}
      </ul>
      {busy > 0 && (
        <p className="muted small" role="status">
          {t('photo.uploading')}
        </p>
      )}
      {failed && (
        <p className="error small" role="alert">
          {t('photo.failed')}
        </p>
      )}
    </div>
  );
}
