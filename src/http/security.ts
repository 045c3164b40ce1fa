import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../accounts/sessions.ts';
import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';
import { sessionOf } from './auth.ts';

/** Requests per minute; 0 leaves that kind of caller unlimited. */
export interface RateLimits {
  /** Per signed-in account (its bearer token or session cookie), whichever address it comes from. */
  perAccount: number;
  /** Per client address, for requests without a session (residents, log-in, Open311 clients). */
  perAddress: number;
}

/**
 * The web pages' Content-Security-Policy: scripts, styles, images and connections from this
 * server only, no inline script and no eval anywhere. MapLibre runs its workers from blob: URLs
 * and draws from data: and blob: images; ECharts and MapLibre set style attributes (style-src-attr)
 * but never insert a <style> element. `inlineStyles` are the sha256 of the <style> blocks of the
 * server's own small pages (mail link pages), allowed one by one.
 */
export function contentSecurityPolicy(inlineStyles: readonly string[] = []): Record<string, string[]> {
  const hashes = inlineStyles.map((css) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`);
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...hashes],
    'style-src-attr': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'child-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'media-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  };
}

/**
 * Security headers on every answer (helmet): the CSP above, nosniff, no framing, no referrer
 * beyond this origin, and HSTS for 180 days without includeSubDomains (a county's other sites
 * under the same domain may still be plain HTTP). upgrade-insecure-requests is left out: an
 * intranet server on plain HTTP would break its own pages.
 */
export async function useSecurityHeaders(app: FastifyInstance, inlineStyles: readonly string[] = []) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(inlineStyles) },
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

/** Only the work counts: the API, Open311 and the mail link pages; built site files and /healthz do not. */
const LIMITED = /^\/(?:api|open311|mail)\//;

/** Session token hash → account id: a token belongs to one account for good, so this never goes stale. */
class AccountOfToken {
  private readonly known = new Map<string, string>();
  constructor(
    private readonly db: DbOrTx,
    private readonly size = 10_000,
  ) {}

  async of(token: string): Promise<string | undefined> {
    const key = hashToken(token);
    const hit = this.known.get(key);
    if (hit !== undefined) return hit;
    // sessions primary key (token_hash).
    const row = await this.db
      .selectFrom('sessions')
      .select('user_id')
      .where('token_hash', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (this.known.size >= this.size) this.known.delete(this.known.keys().next().value!);
    this.known.set(key, String(row.user_id));
    return String(row.user_id);
  }
}

/**
 * Rate limits (@fastify/rate-limit, counted in this process's memory): a signed-in request counts
 * against its account, any other against its address (`request.ip`: behind a reverse proxy, set
 * SHANZHI_TRUST_PROXY so that it is the client's). The 429 is `request.rate_limited` with
 * Retry-After; under /open311 in GeoReport's error format. The log-in lockout (src/accounts/) is
 * apart from this and unchanged.
 */
export async function useRateLimits(app: FastifyInstance, db: DbOrTx, limits: RateLimits): Promise<void> {
  if (limits.perAccount <= 0 && limits.perAddress <= 0) return;
  const accounts = new AccountOfToken(db);
  const keyOf = async (request: FastifyRequest): Promise<string> => {
    const session = sessionOf(request.headers);
    const account = session ? await accounts.of(session.token) : undefined;
    return account !== undefined ? `account:${account}` : `address:${request.ip}`;
  };
  const limitOf = (key: string) => (key.startsWith('account:') ? limits.perAccount : limits.perAddress);
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: keyOf,
    max: (_request, key) => limitOf(key),
    allowList: (request, key) => !LIMITED.test(request.url) || limitOf(key) <= 0,
    // Headers only on the refusal: every other answer stays as it was.
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    addHeaders: {
      'x-ratelimit-limit': true,
      'x-ratelimit-remaining': true,
      'x-ratelimit-reset': true,
      'retry-after': true,
    },
    errorResponseBuilder: (_request, context) =>
      new DomainError('request.rate_limited', {
        limit: context.max,
        retry_after: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
}
