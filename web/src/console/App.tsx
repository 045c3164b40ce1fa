import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, NetworkError, api, type Me } from './api.ts';
import { useI18n } from './i18n/index.tsx';
import { CaseFile } from './pages/CaseFile.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { Worklist } from './pages/Worklist.tsx';
import {
  BASE,
  gridPath,
  overviewPath,
  parseConsoleRoute,
  rulesPath,
  useLocation,
  workPath,
} from './routes.ts';
import { homeOf, SessionContext } from './session.tsx';
import { follow, navigate } from '../router.ts';
import { roleLabel } from '../../../src/i18n/case-labels.ts';

// Route-split: the overview (charts, map), the phone pages and the editors load when first shown.
const Overview = lazy(() => import('./pages/overview/Overview.tsx'));
const Grid = lazy(() => import('./pages/grid/Grid.tsx'));
const Rules = lazy(() => import('./pages/rules/Rules.tsx'));

export function App() {
  const { t, lang, setLang, pick } = useI18n();
  const location = useLocation();
  const route = parseConsoleRoute(location.pathname, location.search);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .me()
      .then(setMe)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setMe(null);
        else setLoadError(error instanceof NetworkError ? 'net' : String(error));
      });
  }, []);
  useEffect(load, [load]);

  useEffect(() => {
    if (me === null && route.page !== 'signin') navigate(`${BASE}/signin`);
    if (me && (route.page === 'signin' || route.page === 'home')) navigate(homeOf(me));
  }, [me, route.page]);

  const signOut = useCallback(() => {
    void api.signOut().finally(() => setMe(null));
  }, []);

  const langButton = (
    <button
      type="button"
      className="lang"
      lang={lang === 'zh' ? 'en' : 'zh-CN'}
      translate="no"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t('lang.switch')}
    </button>
  );

  if (me === undefined) {
    return (
      <main className="centre-page">
        <p role="status">
          {loadError ? t(loadError === 'net' ? 'net.offline' : 'error.unknown') : t('loading')}
        </p>
      </main>
    );
  }
  if (me === null) {
    return (
      <>
        <header className="top">
          <span className="brand">{t('app.name')}</span>
          <nav>{langButton}</nav>
        </header>
        <SignIn onSignedIn={load} />
      </>
    );
  }

  const roles = me.user.roles;
  return (
    <SessionContext.Provider value={{ me, signOut }}>
      <header className="top">
        <a href={homeOf(me)} className="brand" onClick={follow}>
          {t('app.name')}
        </a>
        <nav aria-label={t('nav.main')}>
          <a
            href={workPath('mine')}
            onClick={follow}
            aria-current={route.page === 'work' ? 'page' : undefined}
          >
            {t('nav.work')}
          </a>
          {roles.includes('grid_worker') && (
            <a href={gridPath()} onClick={follow} aria-current={route.page === 'grid' ? 'page' : undefined}>
              {t('grid.title')}
            </a>
          )}
          <a
            href={overviewPath()}
            onClick={follow}
            aria-current={route.page === 'overview' ? 'page' : undefined}
          >
            {t('overview.title')}
          </a>
          <a href={rulesPath()} onClick={follow} aria-current={route.page === 'rules' ? 'page' : undefined}>
            {t('rules.title')}
          </a>
          {langButton}
          <span className="who" data-testid="who">
            <span translate="no">{me.user.display_name}</span> ·{' '}
            {roles.map((r) => pick(roleLabel(r))).join('、')}
          </span>
          <button type="button" onClick={signOut} data-testid="sign-out">
            {t('nav.signout')}
          </button>
        </nav>
      </header>
      <main>
        {route.page === 'work' && <Worklist tab={route.tab} params={route.params} />}
        {route.page === 'case' && <CaseFile key={route.id} id={route.id} />}
        {route.page === 'print' && <CaseFile key={route.id} id={route.id} print />}
        <Suspense fallback={<p role="status">{t('loading')}</p>}>
          {route.page === 'overview' && <Overview params={route.params} />}
          {route.page === 'grid' && <Grid view={route.view} params={route.params} />}
          {route.page === 'rules' && <Rules section={route.section} params={route.params} />}
        </Suspense>
      </main>
    </SessionContext.Provider>
  );
}
