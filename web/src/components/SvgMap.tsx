import type { FeatureCollection, Position } from 'geojson';
import { useMemo, type MouseEvent } from 'react';
import { MAP_START } from '../config.ts';
import type { Point } from '../storage.ts';

const W = 600;
const H = 400;

/**
 * The map for browsers without WebGL: the grids drawn as SVG in an equirectangular frame (fine at
 * a county's size), a tap mapped back to longitude and latitude.
 */
export function SvgMap({
  grids,
  point,
  onPick,
}: {
  grids: FeatureCollection | null;
  point: Point | null;
  /** Without it the map only shows (the console's case page). */
  onPick?: (p: Point) => void;
}) {
  const { frame, paths } = useMemo(() => {
    const rings: Position[][] = [];
    for (const f of grids?.features ?? []) {
      const g = f.geometry;
      if (g?.type === 'Polygon') rings.push(...g.coordinates);
      else if (g?.type === 'MultiPolygon') for (const p of g.coordinates) rings.push(...p);
    }
    const all = rings.flat();
    const lons = all.map((p) => p[0]!);
    const lats = all.map((p) => p[1]!);
    const box =
      all.length > 0
        ? {
            minLon: Math.min(...lons),
            maxLon: Math.max(...lons),
            minLat: Math.min(...lats),
            maxLat: Math.max(...lats),
          }
        : {
            minLon: MAP_START.lon - 0.08,
            maxLon: MAP_START.lon + 0.08,
            minLat: MAP_START.lat - 0.08,
            maxLat: MAP_START.lat + 0.08,
          };
    const x = (lon: number) => ((lon - box.minLon) / (box.maxLon - box.minLon)) * W;
    const y = (lat: number) => H - ((lat - box.minLat) / (box.maxLat - box.minLat)) * H;
    return {
      frame: { box, x, y },
      paths: rings.map(
        (r) => 'M' + r.map((p) => `${x(p[0]!).toFixed(1)},${y(p[1]!).toFixed(1)}`).join('L') + 'Z',
      ),
    };
  }, [grids]);

  const click = (e: MouseEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const fx = (e.clientX - rect.left) / rect.width;
    const fy = (e.clientY - rect.top) / rect.height;
    const { box } = frame;
    onPick?.({
      lon: Math.round((box.minLon + fx * (box.maxLon - box.minLon)) * 1e6) / 1e6,
      lat: Math.round((box.maxLat - fy * (box.maxLat - box.minLat)) * 1e6) / 1e6,
    });
  };

  return (
    <svg
      className="map"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      onClick={onPick ? click : undefined}
      data-testid="map"
      data-mode="svg"
    >
      <rect width={W} height={H} fill="#f3efe6" />
      <path d={paths.join('')} fill="#d9cfb8" fillOpacity={0.35} stroke="#9c8f74" strokeWidth={0.5} />
      {point && (
        <circle
          cx={frame.x(point.lon)}
          cy={frame.y(point.lat)}
          r={7}
          fill="#b7312c"
          stroke="#fff"
          strokeWidth={2}
        />
      )}
    </svg>
  );
}
