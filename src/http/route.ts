import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

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
  /** `headers` carries `authorization` for routes that need the actor (src/http/auth.ts). */
  handler(input: {
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    headers: IncomingHttpHeaders;
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

/** Registers routes on the app; request validation goes through the Zod validator compiler. */
export function registerRoutes(app: FastifyInstance, routes: AnyRoute[]): void {
  for (const spec of routes) {
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
        return checked.data;
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
