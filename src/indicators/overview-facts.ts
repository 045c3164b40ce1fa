import { CASE_FACT_COLUMNS } from '../core/indicators/indicators.ts';
import type { OverviewFacts } from '../core/indicators/overview.ts';
import { dayStart, nextDay } from '../core/indicators/period.ts';
import { subtreeRange, type RegionLevel } from '../core/regions/codes.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';

/** A case's overview facts with its keys and the place it is drawn at on the map. */
export interface KeyedOverviewFacts extends OverviewFacts {
  id: string;
  reference: string;
  region_code: string;
  grid_code: string | null;
  owner_department_id: string | null;
  lon: number | null;
  lat: number | null;
}

export interface OverviewFilter {
  region: { code: string; level: RegionLevel };
  /** Inclusive China-time days of report, YYYY-MM-DD. */
  from: string;
  to: string;
  grid?: string | undefined;
  /** Only cases this department owns now. */
  department?: string | undefined;
  /** A category code: it and every category below it (codes nest by prefix). */
  category?: string | undefined;
  channel?: string | undefined;
}

const TIMESTAMPS = [
  'reported_at',
  'registered_at',
  'dispatched_at',
  'accepted_at',
  'feedback_at',
  'closed_at',
  'handling_deadline',
  'stage_deadline',
] as const;

/**
 * The overview's facts of every case reported in a region subtree over a period, straight from
 * `cases` (cases_region_idx: region range, then the period), with what its events say: whether a
 * centre supervised it, whom it was dispatched to and who returned it. Read from the cases and not
 * from the stored counts: open and overdue are states at this instant, which day rows cannot hold.
 * A county's year is some 20,000 small rows, about a second on the 2-core development machine.
 */
export async function loadOverviewFacts(db: DbOrTx, filter: OverviewFilter): Promise<KeyedOverviewFacts[]> {
  const { low, high } = subtreeRange(filter.region.code, filter.region.level);
  let cohort = db
    .selectFrom('cases')
    .where('region_code', '>=', low)
    .where('region_code', '<=', high)
    .where('reported_at', '>=', dayStart(filter.from))
    .where('reported_at', '<', dayStart(nextDay(filter.to)));
  if (filter.grid !== undefined) cohort = cohort.where('grid_code', '=', filter.grid);
  if (filter.department !== undefined) cohort = cohort.where('owner_department_id', '=', filter.department);
  // Category codes are [0-9A-Z] segments (the API checks it), so the prefix holds no LIKE wildcard.
  if (filter.category !== undefined) cohort = cohort.where('category_code', 'like', `${filter.category}%`);
  if (filter.channel !== undefined) cohort = cohort.where('channel', '=', filter.channel);
  const rows = await cohort
    .select([
      ...CASE_FACT_COLUMNS,
      'id',
      'reference',
      'region_code',
      'grid_code',
      'owner_department_id',
      'lon',
      'lat',
      'stage_deadline',
      'escalation_level',
      'category_code',
      'channel',
    ])
    .execute();
  // Who the cohort was dispatched to and who returned it (the department_id of each dispatch,
  // arbitration and return event), and which cases a centre supervised: one pass over the
  // cohort's events (case_events_case_idx through the join).
  const passes = await cohort
    .innerJoin('case_events', 'case_events.case_id', 'cases.id')
    .select(['case_events.case_id', 'case_events.action', 'case_events.payload'])
    .where('case_events.action', 'in', ['dispatch', 'arbitrate', 'return', 'supervise'])
    .execute();
  const dispatchedTo = new Map<string, Set<string>>();
  const returnedBy = new Map<string, Set<string>>();
  const supervised = new Set<string>();
  for (const p of passes) {
    if (p.action === 'supervise') {
      supervised.add(p.case_id);
      continue;
    }
    const department = readJson<{ department_id?: unknown }>(p.payload).department_id;
    if (typeof department !== 'string') continue;
    const into = p.action === 'return' ? returnedBy : dispatchedTo;
    let set = into.get(p.case_id);
    if (!set) into.set(p.case_id, (set = new Set()));
    set.add(department);
  }
  return rows.map((r) => {
    const row = r as Record<string, unknown>;
    // pg hands timestamptz over as Date, SQLite as the ISO text it stored.
    for (const k of TIMESTAMPS) if (row[k] instanceof Date) row[k] = (row[k] as Date).toISOString();
    row.supervised = supervised.has(r.id);
    row.dispatched_to = [...(dispatchedTo.get(r.id) ?? [])];
    row.returned_by = [...(returnedBy.get(r.id) ?? [])];
    return row as unknown as KeyedOverviewFacts;
  });
}
