import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { defineRawRoute, type RouteGroup } from '../route.ts';

const Health = z.object({ status: z.literal('ok') });

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

// The page's own script: a file, as the Content-Security-Policy allows no inline script.
const DOCS_SCRIPT = "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });\n";

// Served from the npm package: the docs page works offline, with no CDN.
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>善治 Shanzhi API 文档 / API documentation</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs.js"></script>
</body>
</html>`;

/**
 * Health, the OpenAPI document and its docs page, outside /api/v1. Health and the document are
 * described in the document itself; the page and its assets are not the API.
 */
export function systemRoutes(openapi: () => unknown): RouteGroup {
  return {
    routes: [
      defineRawRoute({
        method: 'GET',
        url: '/healthz',
        summary: '健康检查 / Health check',
        tags: ['system'],
        responses: { '200': { description: 'ok', content: { 'application/json': Health } } },
        handle: async () => ({ status: 'ok' }),
      }),
      defineRawRoute({
        method: 'GET',
        url: '/openapi.json',
        summary: '本接口文档（OpenAPI 3.1）/ This document (OpenAPI 3.1)',
        tags: ['system'],
        responses: {
          '200': { description: 'OpenAPI 3.1', content: { 'application/json': z.looseObject({}) } },
        },
        handle: async () => openapi(),
      }),
      defineRawRoute({
        method: 'GET',
        url: '/docs',
        summary: 'API documentation page',
        tags: ['system'],
        responses: {},
        undocumented: true,
        handle: async (_request, reply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE),
      }),
      defineRawRoute({
        method: 'GET',
        url: '/docs/assets/:file',
        summary: 'API documentation assets',
        tags: ['system'],
        responses: {},
        undocumented: true,
        async handle(request, reply) {
          const { file } = request.params as { file: string };
          if (file === 'docs.js') {
            return reply
              .type('application/javascript; charset=utf-8')
              .header('cache-control', 'no-cache')
              .send(DOCS_SCRIPT);
          }
          const type = ASSETS[file];
          if (!type) return reply.callNotFound();
          return reply
            .type(type)
            .header('cache-control', 'public, max-age=86400')
            .send(readFileSync(join(swaggerDir, file)));
        },
      }),
    ],
  };
}
