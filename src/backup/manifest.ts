import { z } from 'zod';
import type { DialectName } from '../db/dialect.ts';

/** Marks the file as a Shanzhi backup; `version` goes up with any change of layout, and a reader refuses a version it does not know. */
export const BACKUP_FORMAT = 'shanzhi-backup';
export const BACKUP_VERSION = 1;

/** The archive's first entry; the others are the files it lists, in its order. */
export const MANIFEST_ENTRY = 'manifest.json';

/** The database snapshot: SQLite's own file (VACUUM INTO), or pg_dump's custom format. */
export const DATABASE_ENTRY: Record<DialectName, string> = {
  sqlite: 'database/shanzhi.sqlite',
  postgres: 'database/shanzhi.pgdump',
};

/**
 * The data directory's personal-data key file (src/db/keyring.ts), when the keys live there rather
 * than in configuration: without it the restored personal data could not be opened.
 */
export const KEY_FILE_ENTRY = 'keys/personal-keys.json';

/** Attachment files keep their blob key below this folder, as under `<data dir>/attachments/`. */
export const ATTACHMENTS_PREFIX = 'attachments/';

const ManifestFile = z.object({
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const Manifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().positive(),
  store: z.enum(['sqlite', 'postgres']),
  /** The last migration the snapshot had applied, e.g. `0026-cases-owner-covering`. */
  migration: z.string().nullable(),
  created_at: z.string(),
  /** PostgreSQL only: where the dump came from and the extensions its indexes use. */
  postgres: z
    .object({
      schema: z.string().min(1),
      server_version: z.string(),
      extensions: z.array(z.object({ name: z.string(), schema: z.string() })),
    })
    .optional(),
  files: z.array(ManifestFile),
});
export type Manifest = z.infer<typeof Manifest>;
