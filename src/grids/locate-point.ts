import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion, type Region } from '../regions/find-regions.ts';
import type { GridLocator } from './grid-locator.ts';

export interface Location {
  grid: { code: string; name: string };
  /** The community the grid belongs to, with its path from the province down. */
  region: Region;
}

/** Point → grid → region chain. Outside every grid: DomainError 'geo.no_grid'. */
export async function locatePoint(
  deps: { db: DbOrTx; locator: GridLocator },
  point: { lon: number; lat: number },
): Promise<Location> {
  const { lon, lat } = point;
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    throw new DomainError('geo.invalid_point', { lon, lat });
  }
  const index = await deps.locator.current();
  const code = index.locate(lon, lat);
  if (code === undefined) throw new DomainError('geo.no_grid', { lon, lat });
  const grid = await deps.db
    .selectFrom('grids')
    .select(['code', 'name', 'community_code'])
    .where('code', '=', code)
    .executeTakeFirst();
  // The index may be a moment older than the table (another process just replaced grids).
  if (!grid) throw new DomainError('geo.no_grid', { lon, lat });
  return {
    grid: { code: grid.code, name: grid.name },
    region: await getRegion(deps.db, grid.community_code),
  };
}
