import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { Region } from '../regions/find-regions.ts';
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
  const found = await deps.locator.locate(lon, lat);
  if (!found) throw new DomainError('geo.no_grid', { lon, lat });
  return found;
}
