import { createHash, randomBytes } from 'node:crypto';

/** Sessions last 12 hours from log-in, whatever the activity (fixed, not sliding): one work shift. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** 32 random bytes, base64url: what the client holds. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The CSRF token of a cookie session: derived from the session token, so the server keeps no
 * second secret and a page that cannot read the HttpOnly cookie cannot compute it. Sent back in
 * the X-CSRF-Token header with every change made through the cookie (src/http/session-cookie.ts).
 */
export function csrfTokenOf(token: string): string {
  return createHash('sha256').update('shanzhi-csrf\0').update(token).digest('base64url');
}

/** What the database holds instead of the token: its sha256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
