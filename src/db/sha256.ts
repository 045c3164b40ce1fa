import { createHash } from 'node:crypto';
import type { Sha256 } from '../core/audit/hashes.ts';

/**
 * Node's SHA-256 for the chained tables (migration 0027, docs/audit.md): src/core/audit says what
 * is hashed and cannot import node:crypto; every writer, the migration's backfill and the
 * verifier pass this. Here because every one of them already depends on src/db.
 */
export const sha256: Sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
