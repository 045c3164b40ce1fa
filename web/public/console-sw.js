/*
 * The staff console's offline shell (docs/console.md), registered by the grid worker's pages for
 * the scope /console/: a patrol report written on a phone with no network must survive a reload.
 * It keeps only what the shell needs to start: the page (every console path is the same
 * console.html), the hashed assets, and the answer of GET /api/v1/me without its CSRF token (the
 * token lives in the page's memory only; the page asks /me again before it sends anything).
 * Everything is network first except the hashed assets, which never change under their name;
 * nothing else (lists, cases, photos) is cached: the outbox lives in the page's own storage.
 */
const CACHE = 'shanzhi-console-shell-v1';
const SHELL = '/console/__shell__';
const ME = '/api/v1/me';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function keepMe(response) {
  const cache = await caches.open(CACHE);
  if (response.status === 401) return cache.delete(ME);
  if (!response.ok) return;
  const body = await response.clone().json();
  delete body.csrf_token;
  await cache.put(
    ME,
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
  );
}

async function networkFirst(request, key, keep) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const cached = await caches.match(key);
    if (cached) return cached;
    throw error;
  }
  try {
    await keep(response);
  } catch {
    // an answer that cannot be kept (not JSON, storage full) is still the answer
  }
  return response;
}

async function keepAsset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/**
 * The page names what it loaded before this worker took control: the shell and its chunks. Each
 * is fetched on its own (one that fails offline does not stop the rest); the page hears whether
 * the shell and the signed-in user are kept, which is what a reload without network needs.
 */
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'keep') return;
  const attempt = (step) => step().catch(() => undefined);
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await attempt(async () => {
        const page = await fetch(event.data.page, { credentials: 'same-origin', cache: 'no-cache' });
        if (page.ok) await cache.put(SHELL, page);
      });
      // The page asked /me before this worker controlled it: asked again here, kept without the token.
      await attempt(async () => keepMe(await fetch(ME, { credentials: 'same-origin', cache: 'no-store' })));
      for (const url of event.data.assets) {
        await attempt(async () => {
          if (await cache.match(url)) return;
          const response = await fetch(url);
          if (response.ok) await cache.put(url, response);
        });
      }
      const kept = (await cache.match(SHELL)) !== undefined && (await cache.match(ME)) !== undefined;
      event.source?.postMessage({ type: kept ? 'kept' : 'not-kept' });
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== 'GET') {
    // Signing out forgets who was signed in.
    if (url.pathname === '/api/v1/session' || url.pathname === '/api/v1/session/cookie') {
      event.waitUntil(caches.open(CACHE).then((cache) => cache.delete(ME)));
    }
    return;
  }
  if (request.mode === 'navigate' && url.pathname.startsWith('/console')) {
    event.respondWith(
      networkFirst(request, SHELL, async (response) => {
        if (response.ok) await (await caches.open(CACHE)).put(SHELL, response.clone());
      }),
    );
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(keepAsset(request));
  } else if (url.pathname === ME) {
    event.respondWith(networkFirst(request, ME, keepMe));
  }
});
