import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hashToken } from '../accounts/sessions.ts';
import type { Actor } from '../core/access/roles.ts';
import {
  acceptedTypes,
  DEFAULT_ATTACHMENT_LIMITS,
  type AttachmentLimits,
} from '../core/attachments/limits.ts';
import { isImageType, sniffType } from '../core/attachments/sniff.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { isStaff } from '../core/workflow/intake.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { BlobStorage } from './blob-storage.ts';
import { reencodeImage } from './process-image.ts';

export interface UploadDeps {
  db: DbOrTx;
  storage: BlobStorage;
  clock: Clock;
  /** The signed-in uploader, or null for a resident who is not signed in. */
  actor: Actor | null;
  limits?: Partial<AttachmentLimits> | undefined;
  ids?: () => string;
}

export interface UploadedAttachment {
  id: string;
  content_type: string;
  bytes: number;
  width: number | null;
  height: number | null;
  has_thumbnail: boolean;
  /** Shown once: lets the uploader see the file before its case is public. Only its hash is kept. */
  upload_key: string;
}

/** The stored form of an upload key: hashed as session tokens are; compare hashes, never keys. */
export const hashUploadKey = hashToken;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** An upload as it will be stored: the checked, re-encoded file and its thumbnail. */
export interface PreparedUpload {
  main: { data: Uint8Array; contentType: string; width: number | null; height: number | null };
  thumb: { data: Uint8Array; contentType: string } | null;
}

/**
 * Every check an upload passes before anything is written: not empty, within the size limit, a
 * type the bytes show (never the declared one) that the uploader may send, an image that decodes.
 * Images come back re-encoded without metadata. Writes nothing: the Open311 test endpoint checks
 * a `media` file with it alone.
 */
export async function prepareUpload(
  deps: Pick<UploadDeps, 'actor' | 'limits'>,
  data: Uint8Array,
): Promise<PreparedUpload> {
  const limits = { ...DEFAULT_ATTACHMENT_LIMITS, ...deps.limits };
  if (data.length === 0) throw new DomainError('attachment.missing_file');
  if (data.length > limits.maxBytes) {
    throw new DomainError('attachment.too_large', { max_mb: megabytes(limits.maxBytes), bytes: data.length });
  }
  const accepted = acceptedTypes(isStaff(deps.actor));
  const type = sniffType(data);
  if (type === null || !accepted.includes(type)) {
    throw new DomainError('attachment.unsupported_type', {
      type: type ?? 'unknown',
      accepted: accepted.join(', '),
    });
  }
  if (!isImageType(type))
    return { main: { data, contentType: type, width: null, height: null }, thumb: null };
  const { image, thumbnail } = await reencodeImage(data, type, limits);
  return { main: image, thumb: thumbnail };
}

/**
 * Stores one uploaded file, unclaimed, for a report or a workflow step to claim (attachToCase).
 * The type comes from the bytes (a declared type is not even asked for). Images are decoded and
 * re-encoded without metadata (prepareUpload): the uploaded bytes are never written anywhere.
 * Staff may also upload PDF documents, which are kept as given.
 *
 * ```ts
 * const a = await uploadAttachment({ db, storage, clock, actor: null }, { data: photoBytes });
 * a.id; a.upload_key; // the report names a.id in its photos
 * ```
 */
export async function uploadAttachment(
  deps: UploadDeps,
  input: { data: Uint8Array },
): Promise<UploadedAttachment> {
  const { main, thumb } = await prepareUpload(deps, input.data);
  const id = (deps.ids ?? randomUUID)();
  const folder = id.slice(0, 2);
  const blobKey = `${folder}/${id}.${EXTENSIONS[main.contentType]}`;
  const thumbnailKey = thumb ? `${folder}/${id}.thumb.webp` : null;
  const uploadKey = randomBytes(24).toString('base64url');

  // Files first, then the row: a crash in between leaves an unreferenced file, never a row
  // pointing at nothing. A failed insert takes its files away again.
  await deps.storage.put(blobKey, main.data);
  try {
    if (thumb && thumbnailKey) await deps.storage.put(thumbnailKey, thumb.data);
    await deps.db
      .insertInto('attachments')
      .values({
        id,
        case_id: null,
        content_type: main.contentType,
        bytes: main.data.length,
        width: main.width,
        height: main.height,
        sha256: sha256(main.data),
        blob_key: blobKey,
        thumbnail_key: thumbnailKey,
        thumbnail_type: thumb?.contentType ?? null,
        thumbnail_bytes: thumb?.data.length ?? null,
        thumbnail_sha256: thumb ? sha256(thumb.data) : null,
        upload_key_hash: hashUploadKey(uploadKey),
        uploaded_by_user_id: deps.actor?.user_id ?? null,
        created_at: deps.clock.now().toISOString(),
        claimed_at: null,
      })
      .execute();
  } catch (error) {
    await Promise.allSettled([
      deps.storage.delete(blobKey),
      ...(thumbnailKey ? [deps.storage.delete(thumbnailKey)] : []),
    ]);
    throw error;
  }
  return {
    id,
    content_type: main.contentType,
    bytes: main.data.length,
    width: main.width,
    height: main.height,
    has_thumbnail: thumb !== null,
    upload_key: uploadKey,
  };
}
