import { gridCode } from '../core/grids/grid-code.ts';
import type { RegionRef } from '../regions/find-regions.ts';

/** The demo box of docs/CONTRACT.md: every point in it locates to a grid of 西湖区. */
export const DEMO_BOX = { minLon: 120.05, minLat: 30.2, maxLon: 120.2, maxLat: 30.35 } as const;
const MARGIN = 0.0005;

/**
 * Synthetic grids tiling the demo box: a regular lattice of cells, walked row by row in a
 * serpentine order and cut into one contiguous run per community, so that each community's grids
 * are neighbours and every cell belongs to a real 西湖区 community. Marked synthetic on import.
 */
export function demoGrids(communities: readonly RegionRef[], columns = 60, rows = 60) {
  if (communities.length === 0) throw new Error('no communities to attach demo grids to');
  const width = (DEMO_BOX.maxLon - DEMO_BOX.minLon) / columns;
  const height = (DEMO_BOX.maxLat - DEMO_BOX.minLat) / rows;
  // Cell edges are a function of the index, so neighbours share exactly the same coordinates. The
  // outer cells reach a little past the box: the point-in-grid rule gives a point on a shared edge
  // to the grid east or north of it, so the box's own east and north edges need a grid beyond them.
  const lon = (i: number) =>
    i === 0
      ? DEMO_BOX.minLon - MARGIN
      : i === columns
        ? DEMO_BOX.maxLon + MARGIN
        : DEMO_BOX.minLon + i * width;
  const lat = (j: number) =>
    j === 0 ? DEMO_BOX.minLat - MARGIN : j === rows ? DEMO_BOX.maxLat + MARGIN : DEMO_BOX.minLat + j * height;
  const order: Array<[number, number]> = [];
  for (let j = rows - 1; j >= 0; j--) {
    const eastward = (rows - 1 - j) % 2 === 0;
    for (let k = 0; k < columns; k++) order.push([eastward ? k : columns - 1 - k, j]);
  }
  const perCommunity = order.length / communities.length;
  const sequence = new Map<string, number>();
  const features = order.map(([i, j], n) => {
    const community = communities[Math.min(communities.length - 1, Math.floor(n / perCommunity))]!;
    const seq = (sequence.get(community.code) ?? 0) + 1;
    sequence.set(community.code, seq);
    const ring: Array<[number, number]> = [
      [lon(i), lat(j)],
      [lon(i + 1), lat(j)],
      [lon(i + 1), lat(j + 1)],
      [lon(i), lat(j + 1)],
      [lon(i), lat(j)],
    ];
    return {
      type: 'Feature' as const,
      properties: {
        code: gridCode(community.code, seq),
        name: `${community.name}第${seq}网格`,
        community_code: community.code,
      },
      geometry: { type: 'Polygon' as const, coordinates: [ring] },
    };
  });
  return { type: 'FeatureCollection' as const, features };
}
