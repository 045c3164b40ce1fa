import { chinaDay, countyDigits, formatReference } from '../core/workflow/reference.ts';
import { arg, prepared } from '../db/prepared.ts';
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
  const { rows } = await takeNumber(tx, [county.padEnd(12, '0'), day]);
  return formatReference(county, day, Number(rows[0]!.last));
}

// Primary key reference_sequences_pk (county_code, day) decides the conflict.
const takeNumber = prepared((db) =>
  db
    .insertInto('reference_sequences')
    .values({ county_code: arg(0), day: arg(1), last: 1 })
    .onConflict((oc) =>
      oc.columns(['county_code', 'day']).doUpdateSet((eb) => ({
        last: eb('reference_sequences.last', '+', 1),
      })),
    )
    .returning('last'),
);
