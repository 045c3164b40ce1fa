/**
 * Signed links (confirm a subscription, unsubscribe, confirm an account's address): the claims
 * travel in the link, base64url JSON, followed by an HMAC of them. The HMAC itself is computed
 * outside core (src/mail/link-secret.ts) and passed in as `sign`, so this file stays pure.
 *
 * A confirmation carries the subscription's one-time nonce: once confirmed the nonce is gone and
 * the same link is refused. An unsubscribe link carries no nonce: it works as often as it is used.
 */
export const LINK_PURPOSES = ['confirm', 'unsubscribe', 'email'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/** What a link acts on: a case follow, an area subscription, or an account's address. */
export const SUBSCRIPTION_KINDS = ['case', 'area'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

export type LinkClaims =
  | { p: 'confirm'; k: SubscriptionKind; id: string; n: string }
  | { p: 'unsubscribe'; k: SubscriptionKind; id: string }
  /** An account confirms the address it asked for (`e`), within EMAIL_LINK_DAYS of `t` (epoch seconds). */
  | { p: 'email'; id: string; e: string; t: number };

/** An account's address confirmation expires: an old link must not bring back an address given up since. */
export const EMAIL_LINK_DAYS = 7;

export type Sign = (data: string) => string;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Compares in time independent of where the strings differ, so a signature cannot be guessed byte by byte. */
function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

export function signLink(claims: LinkClaims, sign: Sign): string {
  const body = toBase64Url(JSON.stringify(claims));
  return `${body}.${sign(body)}`;
}

/** The claims of a well-formed link whose signature holds; null for anything else (tampered, cut, foreign). */
export function readLink(token: string, sign: Sign): LinkClaims | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 2048) return null;
  const body = token.slice(0, dot);
  if (!sameText(token.slice(dot + 1), sign(body))) return null;
  const json = fromBase64Url(body);
  if (json === null) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(json);
  } catch {
    return null;
  }
  return isClaims(claims) ? claims : null;
}

function isClaims(value: unknown): value is LinkClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 254;
  const kind = (v: unknown) => (SUBSCRIPTION_KINDS as readonly unknown[]).includes(v);
  switch (c.p) {
    case 'confirm':
      return kind(c.k) && text(c.id) && text(c.n);
    case 'unsubscribe':
      return kind(c.k) && text(c.id);
    case 'email':
      return text(c.id) && text(c.e) && Number.isInteger(c.t);
    default:
      return false;
  }
}
