import { useEffect, useState } from 'react';
import { ApiError, NetworkError, type Label } from './api.ts';
import { getDraft, updateDraft } from './draft.ts';
import { useI18n } from './i18n/index.tsx';
import { useOnline } from './online.ts';
import { CasePage } from './pages/CasePage.tsx';
import { DonePage } from './pages/DonePage.tsx';
import { LookupPage } from './pages/LookupPage.tsx';
import { ReportPage } from './pages/ReportPage.tsx';
import { follow, navigate, parseRoute, usePath } from './router.ts';
import { sendDraft } from './submit.ts';

export function App() {
  const { t, lang, setLang } = useI18n();
  const route = parseRoute(usePath());
  const online = useOnline();
  const [sendError, setSendError] = useState<Label | null>(null);

  // A report submitted while offline goes out when the connection returns, wherever the user is.
  useEffect(() => {
    const trySend = () => {
      if (!getDraft().queued || !navigator.onLine) return;
      sendDraft()
        .then((answer) => navigate(`/done/${encodeURIComponent(answer.reference)}`))
        .catch((error: unknown) => {
          if (error instanceof NetworkError) return; // still queued: the next `online` tries again
          updateDraft((d) => ({ ...d, queued: false }));
          setSendError(error instanceof ApiError ? error.label : { zh: String(error), en: String(error) });
          navigate('/');
        });
    };
    window.addEventListener('online', trySend);
    trySend();
    return () => window.removeEventListener('online', trySend);
  }, []);

  return (
    <>
      <header className="top">
        <a href="/" className="brand" onClick={follow}>
          {t('app.name')}
        </a>
        <nav>
          <a href="/" onClick={follow} aria-current={route.page === 'report' ? 'page' : undefined}>
            {t('nav.report')}
          </a>
          <a href="/lookup" onClick={follow} aria-current={route.page === 'lookup' ? 'page' : undefined}>
            {t('nav.lookup')}
          </a>
          <button type="button" className="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('lang.switch')}
          </button>
        </nav>
      </header>
      {!online && (
        <p className="banner offline" role="status">
          {t('net.offline')}
        </p>
      )}
      <main>
        {route.page === 'report' && (
          <ReportPage sendError={sendError} clearSendError={() => setSendError(null)} />
        )}
        {route.page === 'lookup' && <LookupPage />}
        {route.page === 'case' && <CasePage key={route.reference} reference={route.reference} />}
        {route.page === 'done' && <DonePage reference={route.reference} />}
      </main>
    </>
  );
}
