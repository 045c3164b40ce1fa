import type { CategoryKind } from '../taxonomy/codes.ts';

/**
 * The public request feed (GET requests) shows what was reported and where only for matters of
 * public space: facilities, urban-management events and safety hazards. For disputes, public-order
 * leads, personal service requests and consultations, and for cases not yet categorised, it shows
 * the service, status, agency and times, never the description, address, point or photo: a
 * domestic-violence or drug lead must not be readable, with its address, by anyone who asks.
 */
export const PUBLIC_DETAIL_KINDS: readonly CategoryKind[] = ['component', 'event', 'hazard'];

export function showsDetails(kind: string | null): boolean {
  return kind !== null && (PUBLIC_DETAIL_KINDS as readonly string[]).includes(kind);
}

/** An http(s) link a client can follow, or null (photos may also be attachment ids). */
export function mediaUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
