import type { Generated } from 'kysely';

/** Table types of migration 0007-accounts (src/db/schema.ts puts them into `Database`). */
export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  /** JSON array of role names: text in SQLite, jsonb (parsed by pg) in PostgreSQL; read with readJson. */
  roles: unknown;
  scope_region_code: string;
  scope_region_level: number;
  department_id: string | null;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** sha256 (hex) of the bearer token. */
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_seen_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_user_id: string | null;
  actor_username: string;
  action: string;
  target_type: string;
  target_id: string;
  /** JSON object, read with readJson. */
  details: unknown;
  /** The hash of the row before in id order (migration 0027); null for the first. */
  prev_hash: string | null;
  /** SHA-256 over prev_hash and the row's columns (src/core/audit/hashes.ts). */
  hash: string | null;
}
