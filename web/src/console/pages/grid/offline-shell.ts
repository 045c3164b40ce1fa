import { useEffect, useState } from 'react';

/**
 * Registers the console's offline shell (web/public/console-sw.js) and hands it what this page
 * loaded before it took control: the page and its hashed chunks. 'ready' once they are kept, so
 * that a reload with no network still opens the grid pages and their outbox.
 */
export type ShellState = 'unsupported' | 'preparing' | 'ready' | 'failed';

let state: ShellState = 'serviceWorker' in navigator ? 'preparing' : 'unsupported';
let started = false;
const listeners = new Set<(s: ShellState) => void>();

function set(next: ShellState) {
  state = next;
  for (const listener of listeners) listener(next);
}

function loadedAssets(): string[] {
  const urls = performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
    .map((u) => u.pathname);
  for (const el of document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
    'script[src], link[rel="stylesheet"][href], link[rel="modulepreload"][href]',
  )) {
    const u = new URL(el instanceof HTMLScriptElement ? el.src : el.href, location.href);
    if (u.origin === location.origin && u.pathname.startsWith('/assets/')) urls.push(u.pathname);
  }
  return [...new Set(urls)];
}

async function start(): Promise<void> {
  const container = navigator.serviceWorker;
  // Offline, registering again fails (the script cannot be fetched) while the one registered
  // before still controls the page.
  const registration = await container
    .register('/console-sw.js', { scope: '/console/' })
    .catch(async (error: unknown) => {
      const known = await container.getRegistration('/console/');
      if (!known) throw error;
      return known;
    });
  const worker = registration.active ?? registration.waiting ?? registration.installing;
  if (!worker) throw new Error('no service worker');
  if (worker.state !== 'activated') {
    await new Promise<void>((resolve) => {
      const check = () => {
        if (worker.state === 'activated' || worker.state === 'redundant') resolve();
      };
      worker.addEventListener('statechange', check);
      check();
    });
  }
  const active = registration.active;
  if (!active) throw new Error('service worker not active');
  await new Promise<void>((resolve, reject) => {
    const onMessage = (e: MessageEvent<{ type?: string }>) => {
      if (e.data?.type !== 'kept' && e.data?.type !== 'not-kept') return;
      container.removeEventListener('message', onMessage);
      if (e.data.type === 'kept') resolve();
      else reject(new Error('not kept'));
    };
    container.addEventListener('message', onMessage);
    active.postMessage({ type: 'keep', page: location.pathname, assets: loadedAssets() });
  });
}

/** Whether a reload without network would open this page; registers the shell the first time. */
export function useOfflineShell(): ShellState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    if (!started && state === 'preparing') {
      started = true;
      start().then(
        () => set('ready'),
        () => set('failed'),
      );
    }
    setCurrent(state);
    return () => {
      listeners.delete(setCurrent);
    };
  }, []);
  return current;
}
