import type { Stage } from '../workflow/stages.ts';

/**
 * Who may see an attachment. Photos are private until their case is public, because a photo of a
 * report can show a face, a licence plate or a doorway before anyone has looked at it.
 *
 * A case is public once it has been registered (立案) — a registrar accepted it as a real case —
 * and as long as it is not voided (作废). A merged duplicate keeps what it had. Before that, and
 * after a void, only these see it: staff who may read the case, the reporter (signed in, or
 * holding the case's reporter key), and whoever holds the attachment's upload key or uploaded it
 * while signed in.
 */
export function isCasePublic(c: { stage: Stage; registered_at: string | null }): boolean {
  return c.registered_at !== null && c.stage !== 'voided';
}

export interface AttachmentAudience {
  /** The case the attachment belongs to, or null while nobody has claimed it. */
  case: { stage: Stage; registered_at: string | null } | null;
  /** The viewer presented the attachment's upload key (or the case's reporter key). */
  holdsKey: boolean;
  /** The viewer is signed in as the user who uploaded it. */
  isUploader: boolean;
  /** The viewer is signed in as the case's reporter. */
  isReporter: boolean;
  /** The viewer is staff whose permissions (case.read) cover the case. */
  staffMayRead: boolean;
}

export type AttachmentAccess = { allowed: false } | { allowed: true; visibility: 'public' | 'private' };

/**
 * The decision for one viewer. A refusal says nothing more: the edge answers 404, so that a
 * stranger cannot tell a private photo from one that does not exist.
 */
export function decideAttachmentAccess(audience: AttachmentAudience): AttachmentAccess {
  const visibility = audience.case && isCasePublic(audience.case) ? 'public' : 'private';
  if (visibility === 'public') return { allowed: true, visibility };
  const allowed =
    audience.holdsKey ||
    audience.isUploader ||
    (audience.case !== null && (audience.isReporter || audience.staffMayRead));
  return allowed ? { allowed: true, visibility } : { allowed: false };
}

/**
 * How long caches may keep a served file. The bytes under an id never change (immutable), but a
 * public case can still be voided, so shared caches keep a public photo an hour at most; a private
 * one is kept only by the viewer's browser and revalidated (ETag → 304) on every use.
 */
export const PUBLIC_MAX_AGE_SECONDS = 3600;

export function cacheControl(visibility: 'public' | 'private'): string {
  return visibility === 'public'
    ? `public, max-age=${PUBLIC_MAX_AGE_SECONDS}, immutable`
    : 'private, no-cache';
}

/** Whether an If-None-Match header matches the entity tag (weak comparison, RFC 9110 §13.1.2). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || bare(t) === bare(etag));
}
