import { addCounts, COUNT_KEYS, zeroCounts, type Counts } from '../core/indicators/indicators.ts';
import { chinaDay, dayStart, monthOf, nextDay, nextMonth } from '../core/indicators/period.ts';
import { SQLITE } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { loadCountyFacts, type KeyedCaseFacts } from './case-facts.ts';
import { addToRows, insertRows, keyedCounts, keyOf, newRow, upsertRows, type Row } from './count-rows.ts';

/** The rows a set of cases contributes, daily or monthly. */
function bucketRows(cases: Iterable<KeyedCaseFacts>, span: 'd' | 'm'): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const c of cases) {
    const { key, counts } = keyedCounts(c);
    addToRows(rows, key, counts, [span]);
  }
  return rows;
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
  await upsertRows(db, [...deltas.values()]);
  // The day is now recomputed from the cases: its pending deltas are in it (src/indicators/count-deltas.ts).
  await db.deleteFrom('case_count_deltas').where('county_code', '=', county).where('day', '=', day).execute();
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
    await tx.deleteFrom('case_count_deltas').where('county_code', '=', county).execute();
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
