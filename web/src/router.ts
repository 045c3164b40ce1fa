import { useSyncExternalStore, type MouseEvent } from 'react';

/** The few pages of the site, by path; the server answers index.html for each (src/http/routes/web.ts). */
export type Route =
  | { page: 'report' }
  | { page: 'lookup' }
  | { page: 'case'; reference: string }
  | { page: 'done'; reference: string };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'lookup') return { page: 'lookup' };
  if (parts[0] === 'case' && parts[1]) return { page: 'case', reference: parts[1] };
  if (parts[0] === 'done' && parts[1]) return { page: 'done', reference: parts[1] };
  return { page: 'report' };
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

export function navigate(path: string): void {
  if (path === location.pathname + location.hash) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

/** For <a href> links: a plain click stays in the app; a middle click or ctrl-click opens a tab. */
export function follow(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}

export const casePath = (reference: string) => `/case/${encodeURIComponent(reference)}`;
