import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';

/**
 * GET tokens/{token}: the request a submission's token became. Intake is immediate, so every
 * token whose report was accepted has its request; any other token is `open311.token_not_found`.
 */
export async function findToken(
  db: DbOrTx,
  token: string,
): Promise<{ service_request_id: string; token: string }> {
  // open311_submissions primary key (token); cases idempotency_key unique index.
  const row = await db
    .selectFrom('open311_submissions as s')
    .innerJoin('cases as c', 'c.idempotency_key', 's.case_key')
    .select('c.reference')
    .where('s.token', '=', token)
    .executeTakeFirst();
  if (!row) throw new DomainError('open311.token_not_found', { token });
  return { service_request_id: row.reference, token };
}
