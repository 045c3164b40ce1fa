import { statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import { defineRawRoute, type RawRoute, type RouteGroup } from '../route.ts';
import { WEB_NOT_BUILT } from '../../i18n/web.ts';

/** Where `vite build` writes the resident site (web/vite.config.ts). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/**
 * Paths the site never answers for: the API, Open311, the docs, health and the staff console keep
 * their own routes, and an unknown path under them is a JSON 404, never the site's page.
 */
const NOT_THE_SITE = /^\/(?:api|open311|docs|console)(?:\/|$)|^\/(?:openapi\.json|healthz)$/;

/** The staff console's pages: each answers console.html, whose app reads the path. */
const CONSOLE_PAGE = /^\/console(?:\/[^.]*)?$/;

/** Vite names files under assets/ by their content hash: they never change under that name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The resident site (web/, a single-page app) at `/`: built files as they are, precompressed
 * (.br, .gz) where the build left them; any other path gets index.html so that the app's own
 * routes (/case/…, /lookup) load from a bookmark or a reload. index.html is revalidated on every
 * visit (no-cache), so a new build reaches browsers at once.
 */
export function webRoutes(options: { dir?: string } = {}): RouteGroup {
  const root = resolve(options.dir ?? DEFAULT_WEB_DIR);

  const page = (reply: FastifyReply, file = 'index.html') => {
    if (!isFile(join(root, file))) {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(`<!doctype html><meta charset="utf-8"><p>${WEB_NOT_BUILT.zh}</p><p>${WEB_NOT_BUILT.en}</p>`);
    }
    return reply.header('cache-control', 'no-cache').sendFile(file);
  };

  const site = (url: string, handle: RawRoute['handle']) =>
    defineRawRoute({
      method: 'GET',
      url,
      summary: 'resident site',
      tags: ['web'],
      responses: {},
      undocumented: true,
      handle,
    });

  const files = site('/*', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (CONSOLE_PAGE.test(path)) return page(reply, 'console.html');
    if (NOT_THE_SITE.test(path)) return reply.callNotFound();
    let relative: string;
    try {
      relative = decodeURIComponent(path).replace(/^\/+/, '');
    } catch {
      return reply.callNotFound();
    }
    const target = resolve(root, relative);
    if (target.startsWith(root + sep) && isFile(target)) {
      const hashed = relative.startsWith('assets/');
      return reply.header('cache-control', hashed ? IMMUTABLE : 'no-cache').sendFile(relative);
    }
    // A missing file (an asset of an older build, a typo) is a 404, not the page: a browser must
    // never take HTML for a script.
    if (extname(relative) !== '' || relative.startsWith('assets/')) return reply.callNotFound();
    return page(reply);
  });
  return {
    async prepare(scope) {
      await scope.register(fastifyStatic, { root, serve: false, preCompressed: true, cacheControl: false });
    },
    routes: [
      site('/', async (_request, reply) => page(reply)),
      site('/console', async (_request, reply) => page(reply, 'console.html')),
      files,
    ],
  };
}
