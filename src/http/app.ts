import compress from '@fastify/compress';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { AppDeps } from './deps.ts';
import { errorBody, installErrorHandling } from './errors.ts';
import { buildOpenApi } from './openapi.ts';
import { registerGroups, useZodValidation, type Route, type RouteGroup } from './route.ts';
import { caseExportRoute } from './routes/case-export.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { caseIntakeRoutes } from './routes/case-intake.ts';
import { caseRoutes } from './routes/cases.ts';
import { publicCaseRoutes } from './routes/public-cases.ts';
import { categoryAdminRoutes, categoryRoutes } from './routes/categories.ts';
import { departmentRoutes } from './routes/departments.ts';
import { gridRoutes } from './routes/grids.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { regionRoutes } from './routes/regions.ts';
import { responsibilityRoutes } from './routes/responsibility.ts';
import { sessionRoutes } from './routes/session.ts';
import { personalDataRoutes } from './routes/personal-data.ts';
import { userRoutes } from './routes/users.ts';
import { systemRoutes } from './routes/system.ts';
import { webRoutes } from './routes/web.ts';
import { followerRoutes, MAIL_PAGE_STYLE, mailPages } from './routes/followers.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { open311Routes } from './routes/open311.ts';
import { useCsrfCheck } from './session-cookie.ts';
import { temporaryStorage } from './temporary-storage.ts';
import { open311AdminRoutes } from './routes/open311-keys.ts';
import { refuse } from './routes/open311-wire.ts';
import { useRateLimits, useSecurityHeaders, type RateLimits } from './security.ts';

export interface AppOptions {
  /** Pino level (`silent` in tests). */
  logLevel?: string;
  version?: string;
  /** Where log lines go (stdout by default); tests read them. */
  logStream?: { write(line: string): void };
  /** The built resident site (web/dist by default; docs/web.md). */
  webDir?: string;
  /** Requests per minute per account and per address (security.ts); absent: no limit (tests). */
  rateLimits?: RateLimits;
  /** Fastify's trustProxy (SHANZHI_TRUST_PROXY): whose X-Forwarded-For names the client. */
  trustProxy?: boolean | number | string;
}

/**
 * Logs name the route, never the query string, body or client address: those can carry
 * residents' personal data (phone numbers, addresses, positions).
 */
const logger: FastifyServerOptions['logger'] = {
  redact: ['req.headers.authorization', 'req.headers.cookie'],
  serializers: {
    req: (request: { method: string; url: string; id: string }) => ({
      id: request.id,
      method: request.method,
      path: request.url.split('?')[0],
    }),
    res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  },
};

/** The HTTP app without a listening socket: tests call `app.inject`, main calls `listen`. */
export async function buildApp(deps: AppDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      ...(logger as object),
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: 32 * 1024 * 1024,
    // A hop count trusts that many proxies nearest to us, as Fastify does for a number.
    trustProxy:
      typeof options.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (options.trustProxy as number)
        : (options.trustProxy ?? false),
    // A URL that does not decode (`%FF`) never reaches a route: it is refused in its prefix's shape.
    frameworkErrors: (error, request, reply) => {
      const answer = reply as FastifyReply;
      if (request.url.startsWith('/open311/')) return refuse(request, answer, error);
      return answer.code(400).send(errorBody('request.invalid', { issues: `url: ${error.message}` }));
    },
  });
  // While closing, answers tell keep-alive clients to hang up, so that close() does not wait for
  // idle connections to time out after the requests in flight have finished.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections?.();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  deps.counts.reportErrorsTo((error) => app.log.error({ err: error }, 'count fold failed'));
  // A fold in flight finishes before the app (and then the store) closes.
  app.addHook('onClose', () => deps.counts.settled());
  // Answers over 1 KiB go gzip-compressed to clients that accept it: the grids' GeoJSON of a
  // county is ~1 MB and the map library's bundle ~0.8 MB, on residents' phones. Images and other
  // incompressible types go as they are. Brotli is left out: at Node's default quality it costs
  // seconds on a megabyte.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });
  useZodValidation(app);
  installErrorHandling(app);
  useCsrfCheck(app);
  await useSecurityHeaders(app, [MAIL_PAGE_STYLE]);
  if (options.rateLimits) await useRateLimits(app, deps.store.db, options.rateLimits);
  const routes: Route[] = [
    ...categoryRoutes(deps),
    ...categoryAdminRoutes(deps),
    ...regionRoutes(deps),
    ...gridRoutes(deps),
    ...departmentRoutes(deps),
    ...responsibilityRoutes(deps),
    ...sessionRoutes(deps),
    ...userRoutes(deps),
    ...calendarRoutes(deps),
    ...caseIntakeRoutes(deps),
    ...caseRoutes(deps),
    caseExportRoute(deps),
    ...publicCaseRoutes(deps),
    ...personalDataRoutes(deps),
    ...indicatorRoutes(deps),
    ...followerRoutes(deps),
    ...open311AdminRoutes(deps),
  ];
  // Attachments and Open311's `media` files share one store.
  const served = { ...deps, storage: deps.storage ?? (await temporaryStorage(app)) };
  let openapi: unknown;
  const groups: RouteGroup[] = [
    { routes },
    attachmentRoutes(served),
    mailPages(deps),
    // Open311 GeoReport v2 and its test endpoint: their own body parsers, error format and
    // not-found answer under their prefixes.
    open311Routes(served, 'production'),
    open311Routes(served, 'test'),
    systemRoutes(() => (openapi ??= buildOpenApi(groups, { version: options.version ?? '0.0.0' }))),
  ];
  await registerGroups(app, groups);
  // The site last: its catch-all answers only what no other route does.
  await registerGroups(app, [webRoutes({ dir: options.webDir })]);
  return app;
}
