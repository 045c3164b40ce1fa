import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { csrfTokenOf, SESSION_TTL_MS } from '../accounts/sessions.ts';

/**
 * The staff console's session: the token in an HttpOnly, SameSite=Strict cookie, so the page's
 * scripts never hold it; changes made through the cookie carry the session's CSRF token in
 * X-CSRF-Token. Bearer tokens (API clients) need neither and win when both are sent.
 */
export const SESSION_COOKIE = 'shanzhi_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Set by the CSRF check on a change whose cookie it ignored, so the refusal can say why. */
export const CSRF_REFUSED = 'x-shanzhi-csrf-refused';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function cookiePairs(header: string | undefined): Array<[string, string]> {
  if (!header) return [];
  return header.split(';').flatMap((part): Array<[string, string]> => {
    const eq = part.indexOf('=');
    if (eq < 0) return [];
    return [[part.slice(0, eq).trim(), part.slice(eq + 1).trim()]];
  });
}

/** The session token of the cookie, or undefined. */
export function sessionCookieToken(headers: IncomingHttpHeaders): string | undefined {
  const value = cookiePairs(headers.cookie).find(([name]) => name === SESSION_COOKIE)?.[1];
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
}

/**
 * `Set-Cookie` for a new session: it lasts as long as the session (a fixed 12 hours, so Max-Age
 * needs no clock); Secure over HTTPS.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** `Set-Cookie` that removes the session cookie (log-out). */
export function clearedSessionCookie(secure: boolean): string {
  return [
    `${SESSION_COOKIE}=`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    'Max-Age=0',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The CSRF check, once for every route: a change (POST, PUT, PATCH, DELETE) that sends the session
 * cookie without a bearer token and without the session's CSRF token is not made with the cookie.
 * The cookie is taken off the request, so a route that needs a signed-in actor refuses it
 * (`auth.csrf_failed`), and one open to anonymous reports (the resident site, in a browser where a
 * staff member is signed in) takes it as anonymous, never as the staff member.
 */
export function useCsrfCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const headers = request.headers;
    delete headers[CSRF_REFUSED];
    if (SAFE_METHODS.has(request.method) || headers.authorization !== undefined) return;
    const token = sessionCookieToken(headers);
    if (token === undefined) return;
    const sent = headers[CSRF_HEADER];
    if (typeof sent === 'string' && sameText(sent, csrfTokenOf(token))) return;
    headers.cookie = cookiePairs(headers.cookie)
      .filter(([name]) => name !== SESSION_COOKIE)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    headers[CSRF_REFUSED] = '1';
  });
}
