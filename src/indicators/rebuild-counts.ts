import { sql } from 'kysely';
import {
  addCounts,
  countCase,
  COUNT_KEYS,
  zeroCounts,
  type CountKey,
  type Counts,
} from '../core/indicators/indicators.ts';
import { chinaDay, dayStart, monthOf, nextDay, nextMonth } from '../core/indicators/period.ts';
import { rowsPerInsert, SQLITE } from '../db/dialect.ts';
import { arg, prepared } from '../db/prepared.ts';
import type { CaseDailyCountsTable } from '../db/schema-indicators.ts';
import type { DbOrTx } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { loadCountyFacts, type KeyedCaseFacts } from './case-facts.ts';

/** In roll-up rows, '*' stands for "every grid" or "every department". */
export const ALL = '*';
/** In key columns, '' stands for a case without a grid or without an owner. */
export const NONE = '';

type Row = CaseDailyCountsTable;
const KEY_COLUMNS = [
  'county_code',
  'span',
  'start_day',
  'region_code',
  'grid_code',
  'department_id',
] as const;

type RowKey = Pick<Row, (typeof KEY_COLUMNS)[number]>;

/**
 * A row of zero counts for a key. Built property by property: V8 makes spreading two objects into
 * one (`{ ...key, ...zeroCounts() }`) some twenty times slower, and intake builds eight of these.
 */
function newRow(key: RowKey): Row {
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

const keyOf = (r: RowKey): string =>
  `${r.county_code}|${r.span}|${r.start_day}|${r.region_code}|${r.grid_code}|${r.department_id}`;

/**
 * The rows one case counts in for a span: its own (community, grid, department) and the roll-ups
 * over all grids, all departments, or both.
 */
function rowKeys(c: KeyedCaseFacts, span: 'd' | 'm', day: string): RowKey[] {
  const start_day = span === 'd' ? day : monthOf(day);
  const grid = c.grid_code ?? NONE;
  const dept = c.owner_department_id ?? NONE;
  const key = (grid_code: string, department_id: string): RowKey => ({
    county_code: c.county_code,
    span,
    start_day,
    region_code: c.region_code,
    grid_code,
    department_id,
  });
  return [key(grid, dept), key(grid, ALL), key(ALL, dept), key(ALL, ALL)];
}

/** Adds `sign` × `counts` to the row of `key` in `rows`, creating it at zero. */
function addTo(rows: Map<string, Row>, key: RowKey, counts: Counts, sign: 1 | -1 = 1): void {
  const k = keyOf(key);
  let row = rows.get(k);
  if (!row) rows.set(k, (row = newRow(key)));
  for (const name of COUNT_KEYS) row[name] += sign * counts[name];
}

/** The rows a set of cases contributes, daily or monthly. */
function bucketRows(cases: Iterable<KeyedCaseFacts>, span: 'd' | 'm'): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const c of cases) {
    const counts = countCase(c);
    for (const key of rowKeys(c, span, chinaDay(c.reported_at))) addTo(rows, key, counts);
  }
  return rows;
}

async function insertRows(db: DbOrTx, rows: Row[]): Promise<void> {
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
 * delta moves are written: a workflow step moves two or three of them, and the statement stays
 * small (new rows get 0 in the rest from the column defaults).
 */
async function addToRows(db: DbOrTx, rows: Row[]): Promise<void> {
  const moved = COUNT_KEYS.filter((k) => rows.some((r) => r[k] !== 0));
  if (moved.length === 0) return;
  const chunk = rowsPerInsert(SQLITE, KEY_COLUMNS.length + moved.length);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await upsertFor(part.length, moved)(
      db,
      part.flatMap((r) => [...KEY_COLUMNS.map((k) => r[k]), ...moved.map((k) => r[k])]),
    );
  }
}

type Upsert = (db: DbOrTx, args: readonly unknown[]) => Promise<unknown>;
const upserts = new Map<string, Upsert>();

/**
 * The upsert of `count` rows moving `moved`: compiled once per shape for the few shapes a case
 * step has (a handful of rows), built afresh for the large batches of a refresh.
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

function counts(row: Counts): Counts {
  const out = zeroCounts();
  for (const k of COUNT_KEYS) out[k] = Number(row[k]);
  return out;
}

/**
 * Recomputes the daily rows of one county and China-time day from `cases`, and moves the
 * difference into that month's rows. A day of a county is a few thousand cases at most, so this
 * stays cheap enough to run inside a workflow transaction.
 */
async function refreshDay(db: DbOrTx, county: string, day: string): Promise<void> {
  const fresh = bucketRows(await loadCountyFacts(db, county, dayStart(day), dayStart(nextDay(day))), 'd');
  const old = await db
    .selectFrom('case_daily_counts')
    .selectAll()
    .where('county_code', '=', county)
    .where('span', '=', 'd')
    .where('start_day', '=', day)
    .execute();
  const month = monthOf(day);
  const deltas = new Map<string, Row>();
  const delta = (r: Row): Row => {
    const key = { ...r, span: 'm' as const, start_day: month };
    const k = keyOf(key);
    let d = deltas.get(k);
    if (!d) deltas.set(k, (d = newRow(key)));
    return d;
  };
  for (const r of old) {
    const d = delta(r);
    const before = counts(r);
    for (const k of COUNT_KEYS) d[k] -= before[k];
  }
  for (const r of fresh.values()) addCounts(delta(r), r);
  await db
    .deleteFrom('case_daily_counts')
    .where('county_code', '=', county)
    .where('span', '=', 'd')
    .where('start_day', '=', day)
    .execute();
  await insertRows(db, [...fresh.values()]);
  const changed = [...deltas.values()].filter((d) => COUNT_KEYS.some((k) => d[k] !== 0));
  await addToRows(db, changed);
  await db
    .deleteFrom('case_daily_counts')
    .where('county_code', '=', county)
    .where('span', '=', 'm')
    .where('start_day', '=', month)
    .where('cases', '=', 0)
    .execute();
}

/**
 * Brings the counts up to date for these cases: call it in the transaction that changed them
 * (`refreshCaseCounts(tx, [caseId])` after appending the event), so that the indicators
 * never lag the cases. It recomputes each (county, day of report) the cases fall in; a case whose
 * county changed must also be refreshed under its old county (refreshCountyDays).
 */
export async function refreshCaseCounts(db: DbOrTx, caseIds: readonly string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const slices = new Map<string, { county: string; day: string }>();
  const chunk = SQLITE.maxParams;
  for (let i = 0; i < caseIds.length; i += chunk) {
    const rows = await db
      .selectFrom('cases')
      .select(['county_code', 'reported_at'])
      .where('id', 'in', caseIds.slice(i, i + chunk))
      .execute();
    for (const r of rows) {
      const reported = r.reported_at as unknown;
      const day = chinaDay(reported instanceof Date ? reported.toISOString() : String(reported));
      slices.set(`${r.county_code}|${day}`, { county: r.county_code, day });
    }
  }
  await refreshCountyDays(db, [...slices.values()]);
}

/** Recomputes the counts of these (county, China-time day) slices from `cases`. */
export async function refreshCountyDays(
  db: DbOrTx,
  slices: ReadonlyArray<{ county: string; day: string }>,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (const s of slices) await refreshDay(tx, s.county, s.day);
  });
}

export interface RebuildReport {
  county: string;
  cases: number;
  rows: number;
  milliseconds: number;
}

/**
 * Recomputes every count of a county from `cases`, one month of reports at a time, in one
 * transaction: the repair when counts are in doubt, and the first build after an import.
 */
export async function rebuildCountyCounts(db: DbOrTx, county: string): Promise<RebuildReport> {
  const started = performance.now();
  return inTransaction(db, async (tx) => {
    await tx.deleteFrom('case_daily_counts').where('county_code', '=', county).execute();
    const span = await tx
      .selectFrom('cases')
      .select((eb) => [eb.fn.min('reported_at').as('first'), eb.fn.max('reported_at').as('last')])
      .where('county_code', '=', county)
      .executeTakeFirst();
    let cases = 0;
    let rows = 0;
    if (span?.first && span.last) {
      const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
      const lastMonth = monthOf(chinaDay(iso(span.last)));
      for (let month = monthOf(chinaDay(iso(span.first))); month <= lastMonth; month = nextMonth(month)) {
        const facts = await loadCountyFacts(tx, county, dayStart(month), dayStart(nextMonth(month)));
        cases += facts.length;
        const built = [...bucketRows(facts, 'd').values(), ...bucketRows(facts, 'm').values()];
        rows += built.length;
        await insertRows(tx, built);
      }
    }
    return { county, cases, rows, milliseconds: Math.round(performance.now() - started) };
  });
}

/**
 * Moves the counts from a case's old facts to its new ones: the case's contribution is subtracted
 * and added again, on the few day and month rows it touches, whatever the volume. Called by intake
 * (before = null) and by every workflow step, in the transaction that changes the case, so that the
 * counts never lag the cases.
 */
export async function applyCaseDelta(
  db: DbOrTx,
  before: KeyedCaseFacts | null,
  after: KeyedCaseFacts | null,
): Promise<void> {
  const rows = new Map<string, Row>();
  const add = (c: KeyedCaseFacts, sign: 1 | -1) => {
    const counts = countCase(c);
    const day = chinaDay(c.reported_at);
    for (const span of ['d', 'm'] as const)
      for (const key of rowKeys(c, span, day)) addTo(rows, key, counts, sign);
  };
  if (before) add(before, -1);
  if (after) add(after, 1);
  const changed = [...rows.values()].filter((d) => COUNT_KEYS.some((k) => d[k] !== 0));
  if (changed.length > 0) await addToRows(db, changed);
}
