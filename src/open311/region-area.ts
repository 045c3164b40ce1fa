import { sql, type RawBuilder } from 'kysely';
import { nearbyBounds, type NearFilter } from '../core/open311/filters.ts';
import { levelNumber } from '../core/regions/codes.ts';

/**
 * The level of a code's deepest row in `regions`. The statistical tree repeats a region under the
 * same code where a level is missing (金门县 is county, township and village), so a join on the code
 * alone would give one row per level; joined on (code, this level) it gives one row, always.
 */
export function deepestLevel(codeColumn: string): RawBuilder<number> {
  return sql<number>`(select max(x.level) from regions x where x.code = ${sql.ref(codeColumn)})`;
}

/** The level just above a joined region's (its parent's row in `regions`). */
export function levelAbove(levelColumn: string): RawBuilder<number> {
  return sql<number>`${sql.ref(levelColumn)} - 1`;
}

/** A request's region as the joins above select it. */
export interface RegionNames {
  region_code: string;
  region_level: number | string | null;
  region_name: string | null;
  parent_name: string | null;
}

/**
 * Where a request is, no more precisely than its region: the township and the community
 * (`西溪街道 文二社区`), or the region's own name when it is a township or above, or its code when
 * the region is unknown. Shown for every request, public details or not.
 */
export function areaOf(row: RegionNames): string {
  const community = Number(row.region_level) === levelNumber('community');
  const names: string[] = [];
  for (const name of [community ? row.parent_name : null, row.region_name]) {
    const n = name?.trim();
    if (n && !names.includes(n)) names.push(n);
  }
  return names.length > 0 ? names.join(' ') : row.region_code;
}

/**
 * The nearby test (`lat`, `long`, `radius`) on a table's point columns: the bounding box first, so
 * the database drops far points before the arithmetic, then the exact equirectangular test
 * (nearbyBounds), plain arithmetic that SQLite and PostgreSQL compute alike, in SQL so that a
 * page's offset and limit count only the requests within the circle.
 */
export function withinCircle(latColumn: string, lonColumn: string, near: NearFilter): RawBuilder<boolean> {
  const { k, degrees, lat, lon } = nearbyBounds(near);
  const latRef = sql.ref(latColumn);
  const lonRef = sql.ref(lonColumn);
  const box = lon
    ? sql`${latRef} between ${lat.min} and ${lat.max} and ${lonRef} between ${lon.min} and ${lon.max}`
    : sql`${latRef} between ${lat.min} and ${lat.max}`;
  const dx = sql`((${lonRef} - ${near.lon}) * ${k})`;
  const dy = sql`(${latRef} - ${near.lat})`;
  return sql<boolean>`(${box} and ${dx} * ${dx} + ${dy} * ${dy} <= ${degrees * degrees})`;
}
