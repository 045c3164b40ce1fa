import type { IncomingHttpHeaders } from 'node:http';
import { authenticate } from '../accounts/authenticate.ts';
import { assertAllowed, type Action, type Resource } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { Store } from '../db/database.ts';
import { CSRF_REFUSED, sessionCookieToken } from './session-cookie.ts';

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** How the request is signed in: a bearer token (API clients), else the console's session cookie. */
export function sessionOf(
  headers: IncomingHttpHeaders,
): { token: string; via: 'bearer' | 'cookie' } | undefined {
  const bearer = bearerToken(headers);
  if (bearer) return { token: bearer, via: 'bearer' };
  if (headers.authorization !== undefined) return undefined;
  const cookie = sessionCookieToken(headers);
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

/**
 * The actor of the request, for a RouteSpec handler: `const actor = await requireActor(deps, headers)`.
 * Throws `auth.required` (401) without a live session, `auth.csrf_failed` (403) for a change sent
 * with the session cookie but without its CSRF token (session-cookie.ts).
 */
export async function requireActor(
  deps: { store: Pick<Store, 'db'>; clock: Clock },
  headers: IncomingHttpHeaders,
): Promise<Actor> {
  const session = sessionOf(headers);
  if (!session) throw new DomainError(headers[CSRF_REFUSED] ? 'auth.csrf_failed' : 'auth.required');
  return authenticate({ db: deps.store.db, clock: deps.clock }, session.token);
}

/**
 * Throws the refusal (access.out_of_scope, access.wrong_department, access.role_forbidden) as a
 * DomainError; the edge answers 403 with the reason in Chinese and English.
 */
export function requireAllowed(actor: Actor, action: Action, resource: Resource): void {
  assertAllowed(actor, action, resource);
}

/**
 * The actor where the request names one, else null (an anonymous resident's report). A request
 * that sends an Authorization header or the session cookie must send a valid one: a stale token
 * is `auth.required`, never a silent fall-back to anonymous. (A change whose cookie failed the
 * CSRF check arrives without it, and is anonymous.)
 */
export async function optionalActor(
  deps: { store: Pick<Store, 'db'>; clock: Clock },
  headers: IncomingHttpHeaders,
): Promise<Actor | null> {
  if (headers.authorization === undefined && sessionCookieToken(headers) === undefined) return null;
  return requireActor(deps, headers);
}
