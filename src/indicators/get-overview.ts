import { countCase, DEFAULT_MIN_SAMPLE } from '../core/indicators/indicators.ts';
import {
  bucketOfCase,
  categoryGroup,
  stateOf,
  trendBuckets,
  type TrendBucket,
} from '../core/indicators/overview.ts';
import { DomainError } from '../core/errors.ts';
import { LEVEL_DIGITS, levelNumber, type RegionLevel } from '../core/regions/codes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion, listChildren, type Region } from '../regions/find-regions.ts';
import { overviewCaseOf, type OverviewCase } from './list-overview-cases.ts';
import { loadOverviewFacts, type KeyedOverviewFacts } from './overview-facts.ts';

export interface OverviewQuery {
  region: string;
  from: string;
  to: string;
  grid?: string | undefined;
  bucket: TrendBucket;
  minSample?: number | undefined;
}

/** The counts every part of the overview shows for its slice of the cohort. */
export interface SliceCounts {
  cases: number;
  open: number;
  overdue: number;
  closed: number;
}

export interface OverviewReport {
  region: Region;
  grid: { code: string; name: string } | null;
  from: string;
  to: string;
  bucket: TrendBucket;
  /** The instant open and overdue were judged at. */
  as_of: string;
  min_sample: number;
  totals: SliceCounts & { escalated: number; supervised: number; returned: number };
  /** The next level down: child regions, or the grids of a community; none inside a grid. */
  children: Array<
    SliceCounts & { code: string; name: string; kind: 'region' | 'grid'; level: RegionLevel | 'grid' }
  >;
  trend: Array<SliceCounts & { start: string; first: string; last: string }>;
  categories: Array<SliceCounts & { code: string | null }>;
  channels: Array<SliceCounts & { channel: string }>;
  /** Every grid of the region with at least one case in the cohort (the map colours the rest as none). */
  grids: Array<SliceCounts & { code: string }>;
  departments: Array<{
    id: string;
    should_handle: number;
    handled_on_time: number;
    on_time_rate: number | null;
    dispatched_to: number;
    returned: number;
    return_rate: number | null;
    meaningful: boolean;
  }>;
  /** The latest reported of the escalated and of the supervised cases (RECENT of each). */
  recent: { escalated: OverviewCase[]; supervised: OverviewCase[] };
}

/** How many escalated and supervised cases the overview names (the rest are behind the number). */
export const RECENT = 5;

const zeroSlice = (): SliceCounts => ({ cases: 0, open: 0, overdue: 0, closed: 0 });

function tally<K>(map: Map<K, SliceCounts>, key: K, add: SliceCounts): void {
  let slice = map.get(key);
  if (!slice) map.set(key, (slice = zeroSlice()));
  slice.cases += add.cases;
  slice.open += add.open;
  slice.overdue += add.overdue;
  slice.closed += add.closed;
}

const byCasesThenKey =
  <T extends SliceCounts>(key: (x: T) => string) =>
  (a: T, b: T) =>
    b.cases - a.cases || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * The command-centre overview of a region subtree (or one grid) over a period: totals, the next
 * level down, the trend, the mixes, the grids for the map and the departments. Every number is a
 * count of cases the drill-down (listOverviewCases) lists with the same measure and filters.
 */
export async function getOverview(db: DbOrTx, q: OverviewQuery, now: Date): Promise<OverviewReport> {
  const region = await getRegion(db, q.region);
  const buckets = trendBuckets(q.from, q.to, q.bucket);
  let grid: OverviewReport['grid'] = null;
  if (q.grid !== undefined) {
    const row = await db
      .selectFrom('grids')
      .select(['code', 'name', 'community_code'])
      .where('code', '=', q.grid)
      .executeTakeFirst();
    if (!row || !row.community_code.startsWith(region.code.slice(0, LEVEL_DIGITS[region.level])))
      throw new DomainError('grid.not_found', { code: q.grid });
    grid = { code: row.code, name: row.name };
  }
  const facts = await loadOverviewFacts(db, {
    region: { code: region.code, level: region.level },
    from: q.from,
    to: q.to,
    grid: q.grid,
  });

  const totals = { ...zeroSlice(), escalated: 0, supervised: 0, returned: 0 };
  const childOf = childKey(region.level, grid !== null);
  const children = new Map<string, SliceCounts>();
  const trend = new Map<string, SliceCounts>();
  const categories = new Map<string | null, SliceCounts>();
  const channels = new Map<string, SliceCounts>();
  const grids = new Map<string, SliceCounts>();
  const departments = new Map<string, OverviewReport['departments'][number]>();
  const escalated: KeyedOverviewFacts[] = [];
  const supervised: KeyedOverviewFacts[] = [];
  const department = (id: string) => {
    let d = departments.get(id);
    if (!d) {
      departments.set(
        id,
        (d = {
          id,
          should_handle: 0,
          handled_on_time: 0,
          on_time_rate: null,
          dispatched_to: 0,
          returned: 0,
          return_rate: null,
          meaningful: false,
        }),
      );
    }
    return d;
  };

  for (const c of facts) {
    const counts = countCase(c);
    const state = stateOf(c, now);
    const slice: SliceCounts = { cases: 1, open: state.open, overdue: state.overdue, closed: counts.closed };
    totals.cases += 1;
    totals.open += state.open;
    totals.overdue += state.overdue;
    totals.closed += counts.closed;
    totals.escalated += state.escalated;
    totals.supervised += state.supervised;
    totals.returned += state.returned;
    if (state.escalated) escalated.push(c);
    if (state.supervised) supervised.push(c);
    const child = childOf(c);
    if (child !== null) tally(children, child, slice);
    tally(trend, bucketOfCase(c, q.bucket), slice);
    tally(categories, categoryGroup(c.category_code), slice);
    tally(channels, c.channel, slice);
    if (c.grid_code !== null) tally(grids, c.grid_code, slice);
    if (c.owner_department_id !== null) {
      const d = department(c.owner_department_id);
      d.should_handle += counts.should_handle;
      d.handled_on_time += counts.handled_on_time;
    }
    for (const id of c.dispatched_to) department(id).dispatched_to += 1;
    for (const id of c.returned_by) department(id).returned += 1;
  }

  const minSample = q.minSample ?? DEFAULT_MIN_SAMPLE;
  for (const d of departments.values()) {
    d.on_time_rate = d.should_handle === 0 ? null : d.handled_on_time / d.should_handle;
    d.return_rate = d.dispatched_to === 0 ? null : d.returned / d.dispatched_to;
    d.meaningful = d.should_handle >= minSample && d.dispatched_to >= minSample;
  }

  const latest = (list: KeyedOverviewFacts[]) =>
    list
      .sort((a, b) =>
        a.reported_at < b.reported_at ? 1 : a.reported_at > b.reported_at ? -1 : a.id < b.id ? 1 : -1,
      )
      .slice(0, RECENT)
      .map((f) => overviewCaseOf(f, now));
  return {
    region,
    grid,
    from: q.from,
    to: q.to,
    bucket: q.bucket,
    as_of: now.toISOString(),
    min_sample: minSample,
    totals,
    children: await childRows(db, region, grid, children),
    trend: buckets.map((b) => ({ ...b, ...(trend.get(b.start) ?? zeroSlice()) })),
    categories: [...categories]
      .map(([code, s]) => ({ code, ...s }))
      .sort(byCasesThenKey((x) => x.code ?? '')),
    channels: [...channels].map(([channel, s]) => ({ channel, ...s })).sort(byCasesThenKey((x) => x.channel)),
    grids: [...grids].map(([code, s]) => ({ code, ...s })).sort((a, b) => (a.code < b.code ? -1 : 1)),
    departments: [...departments.values()].sort(
      (a, b) =>
        b.should_handle + b.dispatched_to - (a.should_handle + a.dispatched_to) || (a.id < b.id ? -1 : 1),
    ),
    recent: { escalated: latest(escalated), supervised: latest(supervised) },
  };
}

/** Which child of the region a case counts under: the region code one level down, or the grid. */
function childKey(level: RegionLevel, inGrid: boolean): (c: KeyedOverviewFacts) => string | null {
  if (inGrid) return () => null;
  if (level === 'community') return (c) => c.grid_code;
  const digits = LEVEL_DIGITS[nextLevel(level)];
  return (c) => c.region_code.slice(0, digits).padEnd(12, '0');
}

function nextLevel(level: RegionLevel): RegionLevel {
  const order: RegionLevel[] = ['province', 'city', 'county', 'township', 'community'];
  return order[levelNumber(level)] ?? 'community';
}

/** Every child (with zeros where no case fell), in code order. */
async function childRows(
  db: DbOrTx,
  region: Region,
  grid: OverviewReport['grid'],
  counts: Map<string, SliceCounts>,
): Promise<OverviewReport['children']> {
  if (grid !== null) return [];
  if (region.level === 'community') {
    const rows = await db
      .selectFrom('grids')
      .select(['code', 'name'])
      .where('community_code', '=', region.code)
      .orderBy('code')
      .execute();
    return rows.map((g) => ({
      code: g.code,
      name: g.name,
      kind: 'grid' as const,
      level: 'grid' as const,
      ...(counts.get(g.code) ?? zeroSlice()),
    }));
  }
  const rows = await listChildren(db, region.code);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    kind: 'region' as const,
    level: r.level,
    ...(counts.get(r.code) ?? zeroSlice()),
  }));
}
