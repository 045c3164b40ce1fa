import { useSyncExternalStore } from 'react';

/**
 * The console's pages under /console (the server answers console.html for each path, see
 * src/http/routes/web.ts). A worklist's tab and filters live in the query string, so that a
 * reload, a bookmark and "back" keep the user's place.
 */
export type ConsoleRoute =
  | { page: 'home' }
  | { page: 'signin' }
  | { page: 'work'; tab: WorkTab; params: URLSearchParams }
  | { page: 'case'; id: string }
  | { page: 'print'; id: string }
  /** The command-centre overview: region, period and wall-screen mode in the query string. */
  | { page: 'overview'; params: URLSearchParams }
  /** The grid worker's phone pages: `view` is the path below /console/grid ('' = my grid's tasks). */
  | { page: 'grid'; view: string; params: URLSearchParams }
  /** The rule editors: `section` is the path below /console/rules ('' = their index). */
  | { page: 'rules'; section: string; params: URLSearchParams };

/** The worklist tabs: each a set of list filters (WORK_TABS in Worklist.tsx). */
export const TABS = [
  'mine',
  'due',
  'overdue',
  'returned',
  'verify',
  'summoned',
  'supervised',
  'all',
] as const;
export type WorkTab = (typeof TABS)[number];

export const BASE = '/console';

export function parseConsoleRoute(pathname: string, search: string): ConsoleRoute {
  const parts = pathname
    .slice(BASE.length)
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const params = new URLSearchParams(search);
  switch (parts[0]) {
    case 'signin':
      return { page: 'signin' };
    case 'work': {
      const tab = TABS.find((t) => t === parts[1]) ?? 'mine';
      return { page: 'work', tab, params };
    }
    case 'cases':
      if (parts[1] && parts[2] === 'print') return { page: 'print', id: parts[1] };
      if (parts[1]) return { page: 'case', id: parts[1] };
      return { page: 'work', tab: 'all', params };
    case 'overview':
      return { page: 'overview', params };
    case 'grid':
      return { page: 'grid', view: parts.slice(1).join('/'), params };
    case 'rules':
      return { page: 'rules', section: parts.slice(1).join('/'), params };
    default:
      return { page: 'home' };
  }
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
}

/** The path and query string, re-read on every navigation. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search);
  const at = href.indexOf('?');
  return at < 0 ? { pathname: href, search: '' } : { pathname: href.slice(0, at), search: href.slice(at) };
}

export const workPath = (tab: WorkTab, params?: URLSearchParams) => {
  const search = params?.toString();
  return `${BASE}/work/${tab}${search ? `?${search}` : ''}`;
};
export const casePath = (id: string) => `${BASE}/cases/${encodeURIComponent(id)}`;
export const printPath = (id: string) => `${BASE}/cases/${encodeURIComponent(id)}/print`;
export const overviewPath = (params?: URLSearchParams) => {
  const search = params?.toString();
  return `${BASE}/overview${search ? `?${search}` : ''}`;
};
export const gridPath = (view = '') => `${BASE}/grid${view ? `/${view}` : ''}`;
export const rulesPath = (section = '') => `${BASE}/rules${section ? `/${section}` : ''}`;
