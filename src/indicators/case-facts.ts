import { subtreeRange, type RegionLevel } from '../core/regions/codes.ts';
import { CASE_FACT_COLUMNS, type CaseFacts } from '../core/indicators/indicators.ts';
import { dayStart, nextDay } from '../core/indicators/period.ts';
import type { DbOrTx } from '../db/schema.ts';

/** A case's facts with the keys it is counted under. */
export interface KeyedCaseFacts extends CaseFacts {
  id: string;
  reference: string;
  county_code: string;
  region_code: string;
  grid_code: string | null;
  owner_department_id: string | null;
}

export interface CaseFactsFilter {
  region: { code: string; level: RegionLevel };
  /** Inclusive China-time days, YYYY-MM-DD. */
  from: string;
  to: string;
  department?: string | undefined;
  grid?: string | undefined;
}

const TIMESTAMPS = [
  'reported_at',
  'registered_at',
  'dispatched_at',
  'accepted_at',
  'feedback_at',
  'closed_at',
  'handling_deadline',
] as const;

/** pg hands timestamptz over as Date, SQLite as the ISO text it stored. */
function normalize(row: Record<string, unknown>): KeyedCaseFacts {
  for (const k of TIMESTAMPS) {
    const v = row[k];
    if (v instanceof Date) row[k] = v.toISOString();
  }
  return row as unknown as KeyedCaseFacts;
}

/** The columns a case is counted under, besides its facts. */
const KEY_COLUMNS = [
  'id',
  'reference',
  'county_code',
  'region_code',
  'grid_code',
  'owner_department_id',
] as const;

function factsQuery(db: DbOrTx) {
  return db.selectFrom('cases').select([...CASE_FACT_COLUMNS, ...KEY_COLUMNS]);
}

/**
 * The facts of every case reported in a region subtree over a period, straight from `cases`
 * (cases_region_idx): what the drill-down lists and what the tests and the benchmark recompute.
 */
export async function loadCaseFacts(db: DbOrTx, filter: CaseFactsFilter): Promise<KeyedCaseFacts[]> {
  const { low, high } = subtreeRange(filter.region.code, filter.region.level);
  let query = factsQuery(db)
    .where('region_code', '>=', low)
    .where('region_code', '<=', high)
    .where('reported_at', '>=', dayStart(filter.from))
    .where('reported_at', '<', dayStart(nextDay(filter.to)));
  if (filter.department !== undefined) query = query.where('owner_department_id', '=', filter.department);
  if (filter.grid !== undefined) query = query.where('grid_code', '=', filter.grid);
  const rows = await query.execute();
  return rows.map((r) => normalize(r as Record<string, unknown>));
}

/** The facts of the cases of one county reported in [fromIso, toIso) (cases_county_idx). */
export async function loadCountyFacts(
  db: DbOrTx,
  county: string,
  fromIso: string,
  toIso: string,
): Promise<KeyedCaseFacts[]> {
  const rows = await factsQuery(db)
    .where('county_code', '=', county)
    .where('reported_at', '>=', fromIso)
    .where('reported_at', '<', toIso)
    .execute();
  return rows.map((r) => normalize(r as Record<string, unknown>));
}

/**
 * The facts of a case row as the workflow holds it (any superset of the fact columns). Copies the
 * fact and key columns one by one: spreading the whole row (some fifty columns) is a slow path of
 * V8, and intake and every step call this.
 */
export function factsFromRow(row: object): KeyedCaseFacts {
  const from = row as Record<string, unknown>;
  const facts: Record<string, unknown> = {};
  for (const k of KEY_COLUMNS) facts[k] = from[k] ?? null;
  for (const k of CASE_FACT_COLUMNS) facts[k] = from[k] ?? null;
  return normalize(facts);
}
