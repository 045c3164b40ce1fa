import { createHash, randomBytes } from 'node:crypto';

/** Sessions last 12 hours from log-in, whatever the activity (fixed, not sliding): one work shift. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** 32 random bytes, base64url: what the client holds. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database holds instead of the token: its sha256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
