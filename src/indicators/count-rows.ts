import { sql } from 'kysely';
import { COUNT_KEYS, countCase, type CountKey, type Counts } from '../core/indicators/indicators.ts';
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

/**
 * Adds these deltas to their rows, creating rows where missing. Only the count columns that some
 * delta moves are written (new rows get 0 in the rest from the column defaults).
 */
export async function upsertRows(db: DbOrTx, rows: Row[]): Promise<void> {
  const changed = rows.filter((d) => COUNT_KEYS.some((k) => d[k] !== 0));
  const moved = COUNT_KEYS.filter((k) => changed.some((r) => r[k] !== 0));
  if (moved.length === 0) return;
  const chunk = rowsPerInsert(SQLITE, KEY_COLUMNS.length + moved.length);
  for (let i = 0; i < changed.length; i += chunk) {
    const part = changed.slice(i, i + chunk);
    await upsertFor(part.length, moved)(
      db,
      part.flatMap((r) => [...KEY_COLUMNS.map((k) => r[k]), ...moved.map((k) => r[k])]),
    );
  }
}

type Upsert = (db: DbOrTx, args: readonly unknown[]) => Promise<unknown>;
const upserts = new Map<string, Upsert>();

/**
 * The upsert of `count` rows moving `moved`: compiled once per shape for small sets, built afresh
 * for the large batches of a fold or a refresh.
 */
function upsertFor(count: number, moved: readonly CountKey[]): Upsert {
  const key = `${count}:${moved.join(',')}`;
  const cached = upserts.get(key);
  if (cached) return cached;
  const columns = [...KEY_COLUMNS, ...moved];
  const build = (db: DbOrTx, value: (i: number) => unknown) =>
    db
      .insertInto('case_daily_counts')
      .values(
        Array.from({ length: count }, (_, r) =>
          Object.fromEntries(columns.map((c, j) => [c, value(r * columns.length + j)])),
        ) as unknown as Row[],
      )
      .onConflict((oc) =>
        oc
          .columns([...KEY_COLUMNS])
          .doUpdateSet(
            Object.fromEntries(
              moved.map((k) => [
                k,
                sql<number>`${sql.ref(`case_daily_counts.${k}`)} + ${sql.ref(`excluded.${k}`)}`,
              ]),
            ),
          ),
      );
  if (count > 16) {
    return (db, args) => build(db, (i) => args[i]).execute();
  }
  const run = prepared((db) => build(db, arg));
  upserts.set(key, run);
  return run;
}
