import { sql } from 'kysely';
import { COUNT_KEYS, countCase, type Counts } from '../core/indicators/indicators.ts';
import { chinaDay, monthOf } from '../core/indicators/period.ts';
import { rowsPerInsert, SQLITE } from '../db/dialect.ts';
import { arg, prepared } from '../db/prepared.ts';
import type { CaseDailyCountsTable } from '../db/schema-indicators.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { KeyedCaseFacts } from './case-facts.ts';

/** In roll-up rows, '*' stands for "every grid" or "every department". */
export const ALL = '*';
/** In key columns, '' stands for a case without a grid or without an owner. */
export const NONE = '';

export type Row = CaseDailyCountsTable;

export const KEY_COLUMNS = [
  'county_code',
  'span',
  'start_day',
  'region_code',
  'grid_code',
  'department_id',
] as const;

type RowKey = Pick<Row, (typeof KEY_COLUMNS)[number]>;

/** Where one case counts: county, community, grid and owner ('' for none), China day of report. */
export interface CaseCountKey {
  county_code: string;
  region_code: string;
  grid_code: string;
  department_id: string;
  day: string;
}

export function countKeyOf(c: KeyedCaseFacts): CaseCountKey {
  return {
    county_code: c.county_code,
    region_code: c.region_code,
    grid_code: c.grid_code ?? NONE,
    department_id: c.owner_department_id ?? NONE,
    day: chinaDay(c.reported_at),
  };
}

export function sameCountKey(a: CaseCountKey, b: CaseCountKey): boolean {
  return (
    a.day === b.day &&
    a.region_code === b.region_code &&
    a.grid_code === b.grid_code &&
    a.department_id === b.department_id &&
    a.county_code === b.county_code
  );
}

/** A case's counts with its key: what bucketRows and the deltas add up. */
export function keyedCounts(c: KeyedCaseFacts): { key: CaseCountKey; counts: Counts } {
  return { key: countKeyOf(c), counts: countCase(c) };
}

/**
 * A row of zero counts for a key. Built property by property: V8 makes spreading two objects into
 * one (`{ ...key, ...zeroCounts() }`) some twenty times slower.
 */
export function newRow(key: RowKey): Row {
  const row = {
    county_code: key.county_code,
    span: key.span,
    start_day: key.start_day,
    region_code: key.region_code,
    grid_code: key.grid_code,
    department_id: key.department_id,
  } as Row;
  for (const k of COUNT_KEYS) row[k] = 0;
  return row;
}

export const keyOf = (r: RowKey): string =>
  `${r.county_code}|${r.span}|${r.start_day}|${r.region_code}|${r.grid_code}|${r.department_id}`;

/**
 * The rows one case counts in for a span: its own (community, grid, department) and the roll-ups
 * over all grids, all departments, or both.
 */
function rowKeys(k: CaseCountKey, span: 'd' | 'm'): RowKey[] {
  const start_day = span === 'd' ? k.day : monthOf(k.day);
  const key = (grid_code: string, department_id: string): RowKey => ({
    county_code: k.county_code,
    span,
    start_day,
    region_code: k.region_code,
    grid_code,
    department_id,
  });
  return [key(k.grid_code, k.department_id), key(k.grid_code, ALL), key(ALL, k.department_id), key(ALL, ALL)];
}

/** Adds `counts` to every row of `key` in `spans` (creating rows at zero). */
export function addToRows(
  rows: Map<string, Row>,
  key: CaseCountKey,
  counts: Counts,
  spans: ReadonlyArray<'d' | 'm'> = ['d', 'm'],
): void {
  for (const span of spans) {
    for (const rk of rowKeys(key, span)) {
      const k = keyOf(rk);
      let row = rows.get(k);
      if (!row) rows.set(k, (row = newRow(rk)));
      for (const name of COUNT_KEYS) row[name] += counts[name];
    }
  }
}

/** Inserts new rows (a rebuild or a refreshed day). */
export async function insertRows(db: DbOrTx, rows: Row[]): Promise<void> {
  const chunk = rowsPerInsert(SQLITE, KEY_COLUMNS.length + COUNT_KEYS.length);
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto('case_daily_counts')
      .values(rows.slice(i, i + chunk))
      .execute();
  }
}

/** Rows per upsert statement: each size up to this is compiled once and then reused. */
const UPSERT_ROWS = 64;

/**
 * Adds these deltas to their rows, creating rows where missing, in statements of up to 64 rows
 * whose text is compiled once per size (a fold of a few thousand rows would otherwise build one
 * huge statement afresh each time).
 */
export async function upsertRows(db: DbOrTx, rows: Row[]): Promise<void> {
  // In key order: two folds at once on PostgreSQL then lock shared rows in the same order, and
  // one waits for the other instead of deadlocking.
  const changed = rows
    .filter((d) => COUNT_KEYS.some((k) => d[k] !== 0))
    .map((r) => ({ r, k: keyOf(r) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ r }) => r);
  for (let i = 0; i < changed.length; i += UPSERT_ROWS) {
    const part = changed.slice(i, i + UPSERT_ROWS);
    const args: unknown[] = [];
    for (const r of part) {
      for (const k of KEY_COLUMNS) args.push(r[k]);
      for (const k of COUNT_KEYS) args.push(r[k]);
    }
    await upsertOf(part.length)(db, args);
  }
}

type Upsert = (db: DbOrTx, args: readonly unknown[]) => Promise<unknown>;
const upserts = new Map<number, Upsert>();
const COLUMNS = [...KEY_COLUMNS, ...COUNT_KEYS];

function upsertOf(count: number): Upsert {
  let run = upserts.get(count);
  if (run) return run;
  run = prepared((db) =>
    db
      .insertInto('case_daily_counts')
      .values(
        Array.from({ length: count }, (_, r) =>
          Object.fromEntries(COLUMNS.map((c, j) => [c, arg(r * COLUMNS.length + j)])),
        ) as unknown as Row[],
      )
      .onConflict((oc) =>
        oc
          .columns([...KEY_COLUMNS])
          .doUpdateSet(
            Object.fromEntries(
              COUNT_KEYS.map((k) => [
                k,
                sql<number>`${sql.ref(`case_daily_counts.${k}`)} + ${sql.ref(`excluded.${k}`)}`,
              ]),
            ),
          ),
      ),
  );
  upserts.set(count, run);
  return run;
}
