import type { Readable } from 'node:stream';
import { decide } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import { decideAttachmentAccess } from '../core/attachments/access.ts';
import { isAttachmentId } from '../core/attachments/refs.ts';
import { DomainError } from '../core/errors.ts';
import { caseResource } from '../core/workflow/parties.ts';
import type { Stage } from '../core/workflow/stages.ts';
import { readTimestamp, type DialectTraits } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { findActorUnit, loadCase, toSnapshot } from '../cases/case-rows.ts';
import type { BlobStorage } from './blob-storage.ts';
import { hashUploadKey } from './upload-attachment.ts';

export interface AttachmentViewer {
  actor: Actor | null;
  /** An upload key, or the case's reporter key (anonymous reporters see their own case's files). */
  key?: string | undefined;
}

export interface OpenedAttachment {
  contentType: string;
  bytes: number;
  /** Strong entity tag: the SHA-256 of the bytes served. */
  etag: string;
  visibility: 'public' | 'private';
  /** PDFs are downloaded, never shown inline (they can carry scripts and links). */
  download: boolean;
  /** Opens the bytes; not called for a 304. */
  open(): Promise<{ stream: Readable; bytes: number }>;
}

/**
 * An attachment (or its thumbnail) as this viewer may get it. Whoever may not see it gets
 * `attachment.not_found`, exactly as for an id that does not exist (src/core/attachments/access.ts).
 */
export async function openAttachment(
  deps: { db: DbOrTx; traits: DialectTraits; storage: BlobStorage },
  viewer: AttachmentViewer,
  id: string,
  variant: 'file' | 'thumbnail',
): Promise<OpenedAttachment> {
  const notFound = new DomainError('attachment.not_found', { id });
  if (!isAttachmentId(id)) throw notFound;
  const row = await deps.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound;

  const keyHash = viewer.key ? hashUploadKey(viewer.key) : null;
  let holdsKey = keyHash !== null && keyHash === row.upload_key_hash;
  let caseState: { stage: Stage; registered_at: string | null } | null = null;
  let isReporter = false;
  let staffMayRead = false;
  if (row.case_id !== null) {
    const { row: c, tasks } = await loadCase(deps.db, deps.traits, row.case_id);
    caseState = {
      stage: c.stage as Stage,
      registered_at: c.registered_at === null ? null : readTimestamp(c.registered_at),
    };
    holdsKey ||= keyHash !== null && keyHash === c.reporter_key_hash;
    const { actor } = viewer;
    if (actor) {
      isReporter = c.reporter_user_id !== null && c.reporter_user_id === actor.user_id;
      const unit = await findActorUnit(deps.db, actor);
      staffMayRead = decide(actor, 'case.read', caseResource(toSnapshot(c, tasks), unit)).allowed;
    }
  }
  const access = decideAttachmentAccess({
    case: caseState,
    holdsKey,
    isUploader: viewer.actor !== null && viewer.actor.user_id === row.uploaded_by_user_id,
    isReporter,
    staffMayRead,
  });
  if (!access.allowed) throw notFound;

  const file =
    variant === 'file'
      ? { key: row.blob_key, type: row.content_type, bytes: row.bytes, sha: row.sha256 }
      : row.thumbnail_key && row.thumbnail_type && row.thumbnail_sha256
        ? {
            key: row.thumbnail_key,
            type: row.thumbnail_type,
            bytes: Number(row.thumbnail_bytes),
            sha: row.thumbnail_sha256,
          }
        : null;
  if (!file) throw notFound;
  return {
    contentType: file.type,
    bytes: Number(file.bytes),
    etag: `"${file.sha}"`,
    visibility: access.visibility,
    download: !file.type.startsWith('image/'),
    async open() {
      const opened = await deps.storage.stream(file.key);
      // The row says the file exists: its absence is damage to the data directory, not bad input.
      if (!opened) throw new Error(`attachment ${id}: blob ${file.key} is missing from the store`);
      return opened;
    },
  };
}
