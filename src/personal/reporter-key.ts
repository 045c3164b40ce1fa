import { timingSafeEqual } from 'node:crypto';
import { hashToken } from '../accounts/sessions.ts';
import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';

/**
 * The reporter key is how someone who reported without an account proves they are the reporter:
 * intake hands it out once and keeps only its SHA-256. The verdict and the reporter's own data
 * (download, erasure) both start here.
 */
export const hashReporterKey = hashToken;

/** Whether `key` is the reporter key whose SHA-256 intake stored (constant time). */
function keyMatches(key: string, storedHash: string | null): boolean {
  if (storedHash === null) return false;
  const given = Buffer.from(hashReporterKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The case with this reference, when `key` is its reporter key; else refused as no such case or a wrong key. */
export async function caseOfReporterKey(db: DbOrTx, reference: string, key: string) {
  const row = await db
    .selectFrom('cases')
    .select([
      'id',
      'reference',
      'version',
      'region_code',
      'title',
      'description',
      'address',
      'stage',
      'reported_at',
      'reporter_key_hash',
    ])
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (!row) throw new DomainError('case.not_found', { id: reference });
  if (!keyMatches(key, row.reporter_key_hash))
    throw new DomainError('case.reporter_key_invalid', { reference });
  return row;
}
