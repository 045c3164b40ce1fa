/** Table types of migration 0014-attachments (src/db/schema.ts puts them into `Database`). */
export interface AttachmentTable {
  id: string;
  /** The case that claimed it; null while the upload waits for its report or step. */
  case_id: string | null;
  /** The type of the stored bytes (after re-encoding), not what the client declared. */
  content_type: string;
  bytes: number;
  width: number | null;
  height: number | null;
  /** Hex SHA-256 of the stored bytes: the ETag. */
  sha256: string;
  /** Where the bytes are in the blob store (src/attachments/blob-storage.ts). */
  blob_key: string;
  thumbnail_key: string | null;
  thumbnail_type: string | null;
  thumbnail_bytes: number | null;
  thumbnail_sha256: string | null;
  /** Hex SHA-256 of the secret given to the uploader; the key itself is never stored. */
  upload_key_hash: string;
  uploaded_by_user_id: string | null;
  created_at: string;
  claimed_at: string | null;
}
