import { useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { casePath, follow, navigate } from '../router.ts';
import { heldKeys } from '../storage.ts';

export function LookupPage() {
  const { t, time } = useI18n();
  const [reference, setReference] = useState('');
  const mine = Object.entries(heldKeys()).sort((a, b) => b[1].at.localeCompare(a[1].at));
  return (
    <>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (reference.trim()) navigate(casePath(reference.trim()));
        }}
      >
        <h1>{t('lookup.title')}</h1>
        <label>
          {t('lookup.reference')}
          <input
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            placeholder={t('lookup.placeholder')}
            inputMode="numeric"
            autoComplete="off"
            name="reference"
          />
        </label>
        <button type="submit" className="primary">
          {t('lookup.go')}
        </button>
      </form>
      {mine.length > 0 && (
        <section className="card">
          <h2>{t('lookup.mine')}</h2>
          <ul className="plain">
            {mine.map(([ref, held]) => (
              <li key={ref}>
                <a href={casePath(ref)} onClick={follow}>
                  {ref}
                </a>{' '}
                <span className="muted small">{time(held.at)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
