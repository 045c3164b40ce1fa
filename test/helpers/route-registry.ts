import type { FastifyInstance } from 'fastify';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** `GET /api/v1/cases/{id}`: a route as the OpenAPI document names it. */
export type RouteKey = string;

/**
 * Every route the app serves, as `METHOD /path/{param}`: the paths of its OpenAPI document, and
 * the routes Fastify registered (read from its route tree), so that a route left out of the
 * document is not left out of a test either. HEAD (Fastify adds one to every GET) is not a route
 * of its own.
 */
export async function servedRoutes(
  app: FastifyInstance,
): Promise<{ documented: RouteKey[]; registered: RouteKey[] }> {
  const res = await app.inject({ url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}`);
  const paths = res.json().paths as Record<string, Record<string, unknown>>;
  const documented = Object.entries(paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .map((m) => m.toUpperCase())
      .filter((m) => (METHODS as readonly string[]).includes(m))
      .map((m) => `${m} ${path}`),
  );
  return { documented: documented.sort(), registered: registeredRoutes(app).sort() };
}

/**
 * The routes of Fastify's printed route tree: each line is a path segment under the line above it
 * at one level less of indentation (4 characters a level), with its methods in parentheses.
 */
function registeredRoutes(app: FastifyInstance): RouteKey[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out: RouteKey[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)(?:└── |├── )(.+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const segment = match[2]!;
    stack.length = depth;
    const path = `${stack[depth - 1] ?? ''}${segment}`;
    stack[depth] = path;
    for (const method of match[3]!.split(', ')) {
      if (!(METHODS as readonly string[]).includes(method)) continue;
      out.push(`${method} ${path.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    }
  }
  return [...new Set(out)];
}
