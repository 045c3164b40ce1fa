import { chinaDay, countyDigits, formatReference } from '../core/workflow/reference.ts';
import type { DbOrTx } from '../db/schema.ts';

/**
 * The next reference number of a county for the day of `at` (China time), e.g.
 * `330106-20260302-00017`. Call it inside the transaction that inserts the case: the upsert takes
 * the row lock of (county, day) on PostgreSQL (SQLite has one writer at a time), so concurrent
 * reports get consecutive numbers and never the same one.
 *
 * Gaps are allowed, reuse is not: a transaction that rolls back after taking a number may leave
 * that number unused, and no later report gets it back.
 */
export async function nextReference(tx: DbOrTx, countyCode: string, at: Date): Promise<string> {
  const county = countyDigits(countyCode);
  const day = chinaDay(at);
  // Primary key reference_sequences_pk (county_code, day) decides the conflict.
  const { last } = await tx
    .insertInto('reference_sequences')
    .values({ county_code: county.padEnd(12, '0'), day, last: 1 })
    .onConflict((oc) =>
      oc.columns(['county_code', 'day']).doUpdateSet((eb) => ({
        last: eb('reference_sequences.last', '+', 1),
      })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return formatReference(county, day, Number(last));
}
