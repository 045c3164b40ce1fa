import { useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { casePath, follow } from '../router.ts';

export function DonePage({ reference }: { reference: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(reference).then(() => setCopied(true));
  };
  return (
    <section className="card done">
      <h1>{t('done.title')}</h1>
      <p>{t('done.reference')}</p>
      <p className="reference" data-testid="reference">
        {reference}
      </p>
      <button type="button" className="link" onClick={copy}>
        {copied ? t('done.copied') : t('done.copy')}
      </button>
      <p className="muted">{t('done.keep')}</p>
      <a className="button primary" href={casePath(reference)} onClick={follow} data-testid="view-case">
        {t('done.view')}
      </a>
      <a className="button secondary" href="/" onClick={follow}>
        {t('done.another')}
      </a>
    </section>
  );
}
