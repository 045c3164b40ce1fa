import {
  COUNT_KEYS,
  countCase,
  DEFAULT_MIN_SAMPLE,
  INDICATOR_KEYS,
  ratesFromCounts,
  type CountKey,
  type Counts,
  type IndicatorValue,
  type IndicatorKey,
} from '../core/indicators/indicators.ts';
import { splitPeriod } from '../core/indicators/period.ts';
import { subtreeRange } from '../core/regions/codes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { readInOneSnapshot } from '../db/transaction.ts';
import { getRegion, type RegionRef } from '../regions/find-regions.ts';
import { loadCaseFacts } from './case-facts.ts';
import { pendingCounts } from './count-deltas.ts';
import { ALL } from './count-rows.ts';

export interface IndicatorQuery {
  /** Region code in any accepted form: the whole subtree counts. */
  region: string;
  /** Inclusive China-time days, YYYY-MM-DD; a case counts in the day it was reported. */
  from: string;
  to: string;
  /** Only cases this department owns. */
  department?: string | undefined;
  /** Only cases of this grid. */
  grid?: string | undefined;
  minSample?: number | undefined;
}

export interface TracedIndicator extends IndicatorValue {
  /** The drill-down that lists the cases above the line and below it. */
  numerator_cases_url: string;
  denominator_cases_url: string;
}

export interface IndicatorReport {
  region: RegionRef;
  from: string;
  to: string;
  department: string | null;
  grid: string | null;
  min_sample: number;
  counts: Counts;
  indicators: Record<IndicatorKey, TracedIndicator>;
}

function casesUrl(q: IndicatorQuery, region: string, count: CountKey): string {
  const params = new URLSearchParams({ region, from: q.from, to: q.to, count });
  if (q.department !== undefined) params.set('department', q.department);
  if (q.grid !== undefined) params.set('grid', q.grid);
  return `/api/v1/indicators/cases?${params.toString()}`;
}

/**
 * The indicators of a region subtree over a period, optionally for one department or grid, read
 * from the pre-aggregated counts (src/indicators/rebuild-counts.ts): a year of a county is about
 * twelve monthly rows per community. test/indicators proves the answer equals a recomputation.
 */
export async function getIndicators(db: DbOrTx, q: IndicatorQuery): Promise<IndicatorReport> {
  const region = await getRegion(db, q.region);
  const { low, high } = subtreeRange(region.code, region.level);
  const { months, days } = splitPeriod(q.from, q.to);
  const segments = [
    ...(months ? [{ span: 'm' as const, ...months }] : []),
    ...days.map((d) => ({ span: 'd' as const, ...d })),
  ];
  // One snapshot for the folded rows and the deltas not yet folded (REPEATABLE READ on
  // PostgreSQL; a SQLite transaction is one), so that a fold in between cannot shift a count.
  const total = await readInOneSnapshot(db, async (tx) => {
    const sum = await pendingCounts(tx, {
      low,
      high,
      from: q.from,
      to: q.to,
      grid: q.grid,
      department: q.department,
    });
    for (const s of segments) {
      // case_daily_counts_query_idx: grid, department and span by equality, region range, days.
      const row = await tx
        .selectFrom('case_daily_counts')
        .select((eb) => COUNT_KEYS.map((k) => eb.fn.sum<number | string | null>(k).as(k)))
        .where('grid_code', '=', q.grid ?? ALL)
        .where('department_id', '=', q.department ?? ALL)
        .where('span', '=', s.span)
        .where('region_code', '>=', low)
        .where('region_code', '<=', high)
        .where('start_day', '>=', s.first)
        .where('start_day', '<=', s.last)
        .executeTakeFirst();
      for (const k of COUNT_KEYS) sum[k] += Number(row?.[k] ?? 0);
    }
    return sum;
  });
  const minSample = q.minSample ?? DEFAULT_MIN_SAMPLE;
  const rates = ratesFromCounts(total, { minSample });
  const indicators = {} as Record<IndicatorKey, TracedIndicator>;
  for (const key of INDICATOR_KEYS) {
    const r = rates[key];
    indicators[key] = {
      ...r,
      // A total of hours is traced by the handled cases it sums over.
      numerator_cases_url: casesUrl(
        q,
        region.code,
        r.numerator_key === 'handling_ms' ? 'handled' : r.numerator_key,
      ),
      denominator_cases_url: casesUrl(q, region.code, r.denominator_key),
    };
  }
  return {
    region: { code: region.code, name: region.name, level: region.level },
    from: q.from,
    to: q.to,
    department: q.department ?? null,
    grid: q.grid ?? null,
    min_sample: minSample,
    counts: total,
    indicators,
  };
}

export interface IndicatorCase {
  id: string;
  reference: string;
  stage: string;
  region_code: string;
  grid_code: string | null;
  owner_department_id: string | null;
  reported_at: string;
}

/**
 * The cases behind one base count (the drill-down of every number), recomputed from `cases` with
 * the same countCase the counts were built with; `total` equals the count the indicators show.
 * No personal data: references, stages and places only.
 */
export async function listIndicatorCases(
  db: DbOrTx,
  q: IndicatorQuery & { count: CountKey; limit: number; offset: number },
): Promise<{ total: number; items: IndicatorCase[] }> {
  const region = await getRegion(db, q.region);
  const facts = await loadCaseFacts(db, {
    region: { code: region.code, level: region.level },
    from: q.from,
    to: q.to,
    department: q.department,
    grid: q.grid,
  });
  const matching = facts
    .filter((f) => countCase(f)[q.count] > 0)
    .sort((a, b) =>
      a.reported_at < b.reported_at ? -1 : a.reported_at > b.reported_at ? 1 : a.id < b.id ? -1 : 1,
    );
  return {
    total: matching.length,
    items: matching.slice(q.offset, q.offset + q.limit).map((f) => ({
      id: f.id,
      reference: f.reference,
      stage: f.stage,
      region_code: f.region_code,
      grid_code: f.grid_code,
      owner_department_id: f.owner_department_id,
      reported_at: f.reported_at,
    })),
  };
}
