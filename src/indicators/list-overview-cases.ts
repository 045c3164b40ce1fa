import { countsIn, PASSED_THROUGH, stateOf, type OverviewMeasure } from '../core/indicators/overview.ts';
import type { Stage } from '../core/workflow/stages.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';
import { loadOverviewFacts, type KeyedOverviewFacts } from './overview-facts.ts';

export interface OverviewCasesQuery {
  region: string;
  from: string;
  to: string;
  measure: OverviewMeasure;
  grid?: string | undefined;
  department?: string | undefined;
  category?: string | undefined;
  channel?: string | undefined;
  limit: number;
  offset: number;
}

export interface OverviewCase {
  id: string;
  reference: string;
  stage: Stage;
  category_code: string | null;
  channel: string;
  region_code: string;
  grid_code: string | null;
  owner_department_id: string | null;
  reported_at: string;
  stage_deadline: string | null;
  overdue: boolean;
  escalation_level: number;
  lon: number | null;
  lat: number | null;
}

/**
 * The cases behind one number of the overview: the cohort with the same filters, kept where the
 * same predicate (countsIn) that made the number holds, oldest report first. `total` equals the
 * number shown. No personal data and no residents' words: references, stages, places and clocks.
 */
export async function listOverviewCases(
  db: DbOrTx,
  q: OverviewCasesQuery,
  now: Date,
): Promise<{ total: number; as_of: string; items: OverviewCase[] }> {
  const region = await getRegion(db, q.region);
  const passedThrough = PASSED_THROUGH.includes(q.measure);
  const facts = await loadOverviewFacts(db, {
    region: { code: region.code, level: region.level },
    from: q.from,
    to: q.to,
    grid: q.grid,
    // For a department a case passed through, its current owner does not matter.
    department: passedThrough ? undefined : q.department,
    category: q.category,
    channel: q.channel,
  });
  const matching = facts
    .filter((f) => countsIn(f, q.measure, now, passedThrough ? q.department : undefined))
    .sort((a, b) =>
      a.reported_at < b.reported_at ? -1 : a.reported_at > b.reported_at ? 1 : a.id < b.id ? -1 : 1,
    );
  return {
    total: matching.length,
    as_of: now.toISOString(),
    items: matching.slice(q.offset, q.offset + q.limit).map((f) => overviewCaseOf(f, now)),
  };
}

/** A case as the overview's lists show it. */
export function overviewCaseOf(f: KeyedOverviewFacts, now: Date): OverviewCase {
  return {
    id: f.id,
    reference: f.reference,
    stage: f.stage as Stage,
    category_code: f.category_code,
    channel: f.channel,
    region_code: f.region_code,
    grid_code: f.grid_code,
    owner_department_id: f.owner_department_id,
    reported_at: f.reported_at,
    stage_deadline: f.stage_deadline,
    overdue: stateOf(f, now).overdue > 0,
    escalation_level: f.escalation_level,
    lon: f.lon,
    lat: f.lat,
  };
}
