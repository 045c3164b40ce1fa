import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { matchesEtag } from '../core/attachments/access.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One route: its Zod schemas validate the request, check the response, and make the OpenAPI
 * document, so the three never disagree. The handler only calls a use case and shapes its result.
 */
export interface RouteSpec<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
> {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  status?: number;
  /** When the status depends on the result (201 created, 200 for an idempotent retry); wins over status. */
  statusOf?(result: z.output<R>): number;
  response: R;
  /** Content type when the response is not plain JSON (e.g. application/geo+json). */
  contentType?: string;
  /** When the content type depends on the request (an export in CSV or JSON); wins over contentType. */
  contentTypeOf?(query: z.output<Q>): string;
  /**
   * Answer with an ETag of the body and 304 to a request whose If-None-Match holds it: lists that
   * the console polls every few seconds cost one small answer while nothing changed.
   */
  etag?: boolean;
  /** `headers` carries `authorization` for routes that need the actor (src/http/auth.ts). */
  handler(input: {
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    headers: IncomingHttpHeaders;
    /** Adds a `Set-Cookie` header to the answer (the console's session, session-cookie.ts). */
    setCookie(cookie: string): void;
    /** Whether the request came over HTTPS (directly or, with trustProxy, through the proxy). */
    secure: boolean;
  }): Promise<z.input<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any>;

export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  return spec;
}

/** A body or answer in the OpenAPI document: a Zod schema, or bytes of the named media type. */
export type Described = z.ZodType | 'binary';

/**
 * A route that moves files, pages or another wire format (Open311's XML) rather than JSON
 * checked against one schema: its handler shapes the answer itself, and it describes its media
 * types for the OpenAPI document. `params` and `query` only document it; the handler reads and
 * checks them (an unreadable key is answered by the use case, not refused by Fastify).
 */
export interface RawRoute {
  kind: 'raw';
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  params?: z.ZodType;
  query?: z.ZodType;
  /** The request bodies it reads, by media type. */
  bodies?: Record<string, Described>;
  /** Its answers by status, each with its media types (none for an empty answer). */
  responses: Record<string, { description: string; content?: Record<string, Described> }>;
  /** Left out of the OpenAPI document: health checks, the docs page and the web site are not the API. */
  undocumented?: boolean;
  handle(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

export type Route = AnyRoute | RawRoute;

export const defineRawRoute = (spec: Omit<RawRoute, 'kind'>): RawRoute => ({ kind: 'raw', ...spec });

export const isRaw = (route: Route): route is RawRoute => 'kind' in route && route.kind === 'raw';

/**
 * Routes that share a Fastify scope: its body parsers, hooks and error handler (`prepare`) apply
 * to these routes only, under `prefix`. Every route of the app is in one group, and the OpenAPI
 * document is made from the groups.
 */
export interface RouteGroup {
  prefix?: string;
  prepare?(scope: FastifyInstance): Promise<void>;
  routes: Route[];
}

/** Registers every group, each in its own scope when it has a prefix or a `prepare`. */
export async function registerGroups(app: FastifyInstance, groups: RouteGroup[]): Promise<void> {
  for (const group of groups) {
    if (!group.prefix && !group.prepare) {
      registerRoutes(app, group.routes);
      continue;
    }
    await app.register(
      async (scope) => {
        await group.prepare?.(scope);
        registerRoutes(scope, group.routes);
      },
      group.prefix ? { prefix: group.prefix } : {},
    );
  }
}

/** Registers routes on the app; request validation goes through the Zod validator compiler. */
export function registerRoutes(app: FastifyInstance, routes: Route[]): void {
  for (const spec of routes) {
    if (isRaw(spec)) {
      app.route({
        method: spec.method,
        url: spec.url,
        handler: (request, reply) => spec.handle(request, reply),
      });
      continue;
    }
    app.route({
      method: spec.method,
      url: spec.url,
      schema: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { querystring: spec.query } : {}),
        ...(spec.body ? { body: spec.body } : {}),
      },
      handler: async (request, reply) => {
        const result = await spec.handler({
          params: request.params,
          query: request.query,
          body: request.body,
          headers: request.headers,
          setCookie: (cookie) => void reply.header('set-cookie', cookie),
          secure: request.protocol === 'https',
        });
        // Responses pass through their schema: a field the schema does not name never leaves.
        const checked = spec.response.safeParse(result);
        if (!checked.success) {
          throw new Error(
            `response of ${spec.method} ${spec.url} breaks its schema: ${checked.error.message}`,
          );
        }
        reply.code(spec.statusOf?.(checked.data) ?? spec.status ?? 200);
        const type = spec.contentTypeOf?.(request.query) ?? spec.contentType;
        if (type) reply.type(type);
        if (!spec.etag) return checked.data;
        const body = JSON.stringify(checked.data);
        const tag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        // private: the answer depends on who asks; no-cache: a cache must ask again each time.
        reply.header('etag', tag).header('cache-control', 'private, no-cache');
        if (matchesEtag(request.headers['if-none-match'], tag)) return reply.code(304).send();
        return reply.type(type ?? 'application/json; charset=utf-8').send(body);
      },
    });
  }
}

/** Fastify validates with Zod: the schema objects given to routes are Zod schemas. */
export function useZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema }) => (data) => {
    const result = (schema as z.ZodType).safeParse(data);
    return result.success ? { value: result.data } : { error: result.error };
  });
}
