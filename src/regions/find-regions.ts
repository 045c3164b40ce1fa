import { DomainError } from '../core/errors.ts';
import {
  levelFromNumber,
  levelNumber,
  LEVEL_DIGITS,
  normalizeRegionCode,
  REGION_LEVELS,
  subtreeRange,
  type RegionLevel,
} from '../core/regions/codes.ts';
import { containsText, type DialectTraits } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';

export interface RegionRef {
  code: string;
  name: string;
  level: RegionLevel;
}

export interface Region extends RegionRef {
  parent_code: string | null;
  /** Ancestors from the province down, without the region itself. */
  path: RegionRef[];
}

interface RegionRow {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
}

const toRef = (row: RegionRow): RegionRef => ({
  code: row.code,
  name: row.name,
  level: levelFromNumber(row.level),
});

/**
 * A region by code in any accepted form. A short form names its level by its length; a 12-digit
 * code that several levels share (a filled-in level such as 东莞市) means the highest of them.
 */
export async function getRegion(db: DbOrTx, input: string): Promise<Region> {
  const { code, level } = normalizeRegionCode(input);
  let query = db.selectFrom('regions').selectAll().where('code', '=', code);
  if (level) query = query.where('level', '=', levelNumber(level));
  const row = await query.orderBy('level').limit(1).executeTakeFirst();
  if (!row) throw new DomainError('region.not_found', { code: input });
  return { ...toRef(row), parent_code: row.parent_code, path: await ancestorsOf(db, row) };
}

function ancestorKeys(row: RegionRow): Array<{ code: string; level: number }> {
  return REGION_LEVELS.slice(0, row.level - 1).map((level) => ({
    level: levelNumber(level),
    code: row.code.slice(0, LEVEL_DIGITS[level]).padEnd(12, '0'),
  }));
}

/** Ancestors of several regions in one query, each list from the province down. */
async function ancestorsOfMany(db: DbOrTx, rows: RegionRow[]): Promise<RegionRef[][]> {
  const keys = new Map<string, { code: string; level: number }>();
  for (const row of rows) for (const k of ancestorKeys(row)) keys.set(`${k.level}:${k.code}`, k);
  if (keys.size === 0) return rows.map(() => []);
  const found = await db
    .selectFrom('regions')
    .selectAll()
    .where((eb) =>
      eb.or([...keys.values()].map((k) => eb.and([eb('code', '=', k.code), eb('level', '=', k.level)]))),
    )
    .execute();
  const byKey = new Map(found.map((r) => [`${r.level}:${r.code}`, toRef(r)]));
  return rows.map((row) =>
    ancestorKeys(row)
      .map((k) => byKey.get(`${k.level}:${k.code}`))
      .filter((r): r is RegionRef => r !== undefined),
  );
}

async function ancestorsOf(db: DbOrTx, row: RegionRow): Promise<RegionRef[]> {
  const [path] = await ancestorsOfMany(db, [row]);
  return path ?? [];
}

export async function listChildren(db: DbOrTx, input: string): Promise<RegionRef[]> {
  const parent = await getRegion(db, input);
  const rows = await db
    .selectFrom('regions')
    .selectAll()
    .where('parent_code', '=', parent.code)
    .where('level', '=', levelNumber(parent.level) + 1)
    .orderBy('code')
    .execute();
  return rows.map(toRef);
}

export interface RegionSearch {
  q: string;
  /** Only regions inside this region's subtree. */
  within?: string | undefined;
  limit?: number | undefined;
}

/** Search by Chinese name: names starting with the text first, then names containing it. */
export async function searchRegions(
  db: DbOrTx,
  traits: DialectTraits,
  search: RegionSearch,
): Promise<Region[]> {
  const limit = Math.min(search.limit ?? 20, 100);
  let query = db
    .selectFrom('regions')
    .selectAll()
    .where(containsText(traits, 'name', search.q));
  if (search.within) {
    const scope = await getRegion(db, search.within);
    const { low, high } = subtreeRange(scope.code, scope.level);
    query = query
      .where('code', '>=', low)
      .where('code', '<=', high)
      .where('level', '>', levelNumber(scope.level));
  }
  const rows = await query
    .orderBy('level')
    .orderBy('code')
    .limit(limit * 4)
    .execute();
  const starts = rows.filter((r) => r.name.startsWith(search.q));
  const rest = rows.filter((r) => !r.name.startsWith(search.q));
  const chosen = [...starts, ...rest].slice(0, limit);
  const paths = await ancestorsOfMany(db, chosen);
  return chosen.map((row, i) => ({ ...toRef(row), parent_code: row.parent_code, path: paths[i] ?? [] }));
}

/** Counts of regions per level inside a subtree (the region itself excluded). */
export async function countDescendants(db: DbOrTx, input: string): Promise<Record<RegionLevel, number>> {
  const scope = await getRegion(db, input);
  const { low, high } = subtreeRange(scope.code, scope.level);
  const rows = await db
    .selectFrom('regions')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('code', '>=', low)
    .where('code', '<=', high)
    .where('level', '>', levelNumber(scope.level))
    .groupBy('level')
    .execute();
  const counts = Object.fromEntries(REGION_LEVELS.map((l) => [l, 0])) as Record<RegionLevel, number>;
  for (const r of rows) counts[levelFromNumber(r.level)] = Number(r.n);
  return counts;
}

/** The regions of one level inside a subtree, e.g. every community of a county, in code order. */
export async function listWithin(db: DbOrTx, input: string, level: RegionLevel): Promise<RegionRef[]> {
  const scope = await getRegion(db, input);
  const { low, high } = subtreeRange(scope.code, scope.level);
  const rows = await db
    .selectFrom('regions')
    .selectAll()
    .where('code', '>=', low)
    .where('code', '<=', high)
    .where('level', '=', levelNumber(level))
    .orderBy('code')
    .execute();
  return rows.map(toRef);
}
