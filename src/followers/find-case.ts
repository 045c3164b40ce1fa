import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';

export interface CaseRef {
  id: string;
  reference: string;
  stage: string;
  merged_into: string | null;
}

/** A case by id or by reference number (residents know the reference, the API the id). */
export async function findCaseRef(db: DbOrTx, idOrReference: string): Promise<CaseRef> {
  const key = idOrReference.trim();
  const row = await db
    .selectFrom('cases')
    .select(['id', 'reference', 'stage', 'merged_into'])
    .where((eb) => eb.or([eb('id', '=', key), eb('reference', '=', key)]))
    .executeTakeFirst();
  if (!row) throw new DomainError('case.not_found', { id: key });
  return row;
}
