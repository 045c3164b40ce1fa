import { COUNT_KEYS, zeroCounts, type Counts } from '../core/indicators/indicators.ts';
import type { Store } from '../db/database.ts';
import { insertRow } from '../db/prepared.ts';
import type { DbOrTx } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import type { KeyedCaseFacts } from './case-facts.ts';
import {
  addToRows,
  keyedCounts,
  sameCountKey,
  upsertRows,
  type CaseCountKey,
  type Row,
} from './count-rows.ts';

/**
 * The counts move with every case change in its own transaction, as one appended delta row (the
 * case's key and the counts it moves), not as upserts of the eight day and month rows it counts in:
 * those rows are scattered over the table, and at intake rates their pages were a third of what
 * each commit wrote. The deltas are folded into case_daily_counts in batches (foldCountDeltas,
 * triggered by src/indicators/count-folder.ts), where a busy day's rows take many deltas at once.
 * Readers add the deltas not yet folded, in the same snapshot (getIndicators), so the indicators
 * never lag the cases. docs/decisions/0005-count-deltas.md.
 */

/** The nonzero counts, as stored in a delta's `counts` column. */
function encode(counts: Counts): string | null {
  const moved: Partial<Counts> = {};
  let any = false;
  for (const k of COUNT_KEYS) {
    if (counts[k] !== 0) {
      moved[k] = counts[k];
      any = true;
    }
  }
  return any ? JSON.stringify(moved) : null;
}

export function decodeCounts(text: string): Counts {
  const counts = zeroCounts();
  const moved = JSON.parse(text) as Partial<Counts>;
  for (const k of COUNT_KEYS) counts[k] += Number(moved[k] ?? 0);
  return counts;
}

async function append(db: DbOrTx, key: CaseCountKey, counts: Counts): Promise<number> {
  const text = encode(counts);
  if (text === null) return 0;
  await insertRow(db, 'case_count_deltas', {
    county_code: key.county_code,
    region_code: key.region_code,
    grid_code: key.grid_code,
    department_id: key.department_id,
    day: key.day,
    counts: text,
  });
  return 1;
}

/**
 * Moves the counts from a case's old facts to its new ones (before = null at intake): call it in
 * the transaction that changes the case. Appends one delta row, or two when the case changed its
 * key (a dispatch gives it an owner), or none when no count moved. Returns the rows appended.
 */
export async function appendCountDelta(
  db: DbOrTx,
  before: KeyedCaseFacts | null,
  after: KeyedCaseFacts | null,
): Promise<number> {
  const old = before && keyedCounts(before);
  const now = after && keyedCounts(after);
  if (old && now && sameCountKey(old.key, now.key)) {
    const net = zeroCounts();
    for (const k of COUNT_KEYS) net[k] = now.counts[k] - old.counts[k];
    return append(db, now.key, net);
  }
  let appended = 0;
  if (old) {
    const minus = zeroCounts();
    for (const k of COUNT_KEYS) minus[k] = -old.counts[k];
    appended += await append(db, old.key, minus);
  }
  if (now) appended += await append(db, now.key, now.counts);
  return appended;
}

/**
 * Folds up to `limit` of the oldest deltas into case_daily_counts and deletes them, in one
 * transaction. The rows are taken by DELETE … RETURNING, so two folds at once (a server and
 * `shanzhi sweep`, or two PostgreSQL connections) never apply a delta twice: a row one of them
 * deleted is not returned to the other. Returns how many deltas it folded.
 */
export async function foldCountDeltas(db: DbOrTx, limit = 5000): Promise<number> {
  return inTransaction(db, async (tx) => {
    const last = await tx
      .selectFrom('case_count_deltas')
      .select('id')
      .orderBy('id')
      .offset(limit - 1)
      .limit(1)
      .executeTakeFirst();
    let query = tx.deleteFrom('case_count_deltas');
    if (last) query = query.where('id', '<=', last.id);
    const deltas = await query
      .returning(['county_code', 'region_code', 'grid_code', 'department_id', 'day', 'counts'])
      .execute();
    const rows = new Map<string, Row>();
    for (const d of deltas) addToRows(rows, d, decodeCounts(d.counts));
    await upsertRows(tx, [...rows.values()]);
    return deltas.length;
  });
}

/** Folds every pending delta, a batch per write transaction (on SQLite, one more write of a group commit). */
export async function foldAllCountDeltas(store: Pick<Store, 'write'>, batch = 5000): Promise<number> {
  let folded = 0;
  for (;;) {
    const n = await store.write((tx) => foldCountDeltas(tx, batch));
    folded += n;
    if (n < batch) return folded;
  }
}

export interface PendingFilter {
  /** Inclusive bounds of community codes (a region subtree). */
  low: string;
  high: string;
  /** Inclusive China-time days. */
  from: string;
  to: string;
  grid?: string | undefined;
  department?: string | undefined;
}

/**
 * The sum of the deltas not yet folded that fall in a query's region subtree, days and filters.
 * Read it in the snapshot that reads case_daily_counts, so that a fold between the two reads can
 * neither hide a delta nor count it twice.
 */
export async function pendingCounts(db: DbOrTx, f: PendingFilter): Promise<Counts> {
  let query = db
    .selectFrom('case_count_deltas')
    .select('counts')
    .where('region_code', '>=', f.low)
    .where('region_code', '<=', f.high)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to);
  if (f.grid !== undefined) query = query.where('grid_code', '=', f.grid);
  if (f.department !== undefined) query = query.where('department_id', '=', f.department);
  const total = zeroCounts();
  for (const { counts } of await query.execute()) {
    const c = decodeCounts(counts);
    for (const k of COUNT_KEYS) total[k] += c[k];
  }
  return total;
}
