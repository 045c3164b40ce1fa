import type { GridGeometry } from '../core/geo/geometry.ts';
import { levelNumber, subtreeRange } from '../core/regions/codes.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';

export interface GridFeature {
  type: 'Feature';
  properties: { code: string; name: string; community_code: string; synthetic: boolean };
  geometry: GridGeometry;
}

export interface GridCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

/** All grids, or those inside a region's subtree, as the FeatureCollection `grids import` reads. */
export async function exportGrids(
  db: DbOrTx,
  filter: { within?: string | undefined } = {},
): Promise<GridCollection> {
  let query = db.selectFrom('grids').select(['code', 'name', 'community_code', 'synthetic', 'geometry']);
  if (filter.within) {
    const scope = await getRegion(db, filter.within);
    if (levelNumber(scope.level) < 5) {
      const { low, high } = subtreeRange(scope.code, scope.level);
      query = query.where('community_code', '>=', low).where('community_code', '<=', high);
    } else {
      query = query.where('community_code', '=', scope.code);
    }
  }
  const rows = await query.orderBy('code').execute();
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      properties: {
        code: r.code,
        name: r.name,
        community_code: r.community_code,
        synthetic: r.synthetic === 1,
      },
      geometry: readJson<GridGeometry>(r.geometry),
    })),
  };
}
