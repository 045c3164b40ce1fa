import polygonClipping from 'polygon-clipping';

/** A WGS84 position, longitude first as GeoJSON has it. */
export type Position = [number, number];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type GridGeometry = PolygonGeometry | MultiPolygonGeometry;

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export const GEOMETRY_PROBLEMS = [
  'not_polygon',
  'invalid_coordinates',
  'too_few_points',
  'unclosed_ring',
  'coordinates_out_of_range',
] as const;
export type GeometryProblem = (typeof GEOMETRY_PROBLEMS)[number];

export type GeometryValidation =
  { ok: true; geometry: GridGeometry } | { ok: false; reason: GeometryProblem; detail: string };

/**
 * Checks an untrusted GeoJSON geometry and returns a clean copy. Each ring is checked for its
 * structure, then its length, then its closure, then its range, so every problem can be provoked
 * alone. A third (altitude) value in a position is accepted and dropped: grids are planar.
 * Self-intersection and overlap are not checked here; see `overlapsInterior`.
 */
export function validateGeometry(input: unknown): GeometryValidation {
  if (!isRecord(input) || (input.type !== 'Polygon' && input.type !== 'MultiPolygon')) {
    const type = isRecord(input) && typeof input.type === 'string' ? input.type : typeof input;
    return { ok: false, reason: 'not_polygon', detail: `expected Polygon or MultiPolygon, got ${type}` };
  }
  const polygons: unknown = input.type === 'Polygon' ? [input.coordinates] : input.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) {
    return { ok: false, reason: 'invalid_coordinates', detail: 'coordinates must be a non-empty array' };
  }
  const clean: Position[][][] = [];
  for (const [p, polygon] of polygons.entries()) {
    if (!Array.isArray(polygon) || polygon.length === 0) {
      return { ok: false, reason: 'invalid_coordinates', detail: `polygon ${p} has no rings` };
    }
    const rings: Position[][] = [];
    for (const [r, ring] of polygon.entries()) {
      const checked = validateRing(ring, `polygon ${p} ring ${r}`);
      if (!checked.ok) return checked;
      rings.push(checked.ring);
    }
    clean.push(rings);
  }
  const geometry: GridGeometry =
    input.type === 'Polygon'
      ? { type: 'Polygon', coordinates: clean[0]! }
      : { type: 'MultiPolygon', coordinates: clean };
  return { ok: true, geometry };
}

function validateRing(
  ring: unknown,
  where: string,
): { ok: true; ring: Position[] } | { ok: false; reason: GeometryProblem; detail: string } {
  if (!Array.isArray(ring)) {
    return { ok: false, reason: 'invalid_coordinates', detail: `${where} is not an array of positions` };
  }
  const positions: Position[] = [];
  for (const [i, position] of ring.entries()) {
    if (!isPosition(position)) {
      return { ok: false, reason: 'invalid_coordinates', detail: `${where} position ${i} is not [lon, lat]` };
    }
    positions.push([position[0], position[1]]);
  }
  if (positions.length < 4) {
    return { ok: false, reason: 'too_few_points', detail: `${where} has ${positions.length} positions` };
  }
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { ok: false, reason: 'unclosed_ring', detail: `${where} does not end where it starts` };
  }
  const outside = positions.findIndex(([lon, lat]) => Math.abs(lon) > 180 || Math.abs(lat) > 90);
  if (outside >= 0) {
    return {
      ok: false,
      reason: 'coordinates_out_of_range',
      detail: `${where} position ${outside} is outside lon -180..180, lat -90..90`,
    };
  }
  return { ok: true, ring: positions };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): value is [number, number, ...number[]] {
  return (
    Array.isArray(value) &&
    (value.length === 2 || value.length === 3) &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

/** The polygons of a geometry, so callers need not tell Polygon from MultiPolygon. */
export function listPolygons(g: GridGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

export function geometryBounds(g: GridGeometry): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of listPolygons(g)) {
    // Holes lie inside their shell, so the shells alone bound the geometry.
    for (const [x, y] of polygon[0] ?? []) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return { minX, minY, maxX, maxY };
}

/**
 * Whether the point lies in the geometry, by an even-odd crossing count over every ring (holes and
 * the parts of a MultiPolygon included).
 *
 * Boundary rule (half-open): a point is judged as if moved an infinitesimal step east, and then an
 * even smaller step north. So a point on a vertical shared edge belongs to the grid on its east
 * side, a point on a horizontal shared edge to the grid on its north side, and a shared corner to
 * the grid that covers the area just north-east of it. Because it is one consistent displacement,
 * grids that tile the plane without overlap claim every point exactly once.
 *
 * That only holds if neighbours compute identical floating-point results for their shared edge,
 * which they walk in opposite directions; `crossesEastward` orders the endpoints canonically.
 */
export function containsPoint(g: GridGeometry, lon: number, lat: number): boolean {
  let inside = false;
  for (const polygon of listPolygons(g)) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[j]!;
        const b = ring[i]!;
        if (crossesEastward(a[0], a[1], b[0], b[1], lon, lat)) inside = !inside;
      }
    }
  }
  return inside;
}

/**
 * Whether a ray from (px, py) heading east crosses the edge (ax, ay)–(bx, by). A vertex at the
 * ray's height counts as below it (the northward step), and a point on the edge itself does not
 * cross it (the eastward step). Shared with GridIndex so both give bit-identical answers.
 */
export function crossesEastward(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  px: number,
  py: number,
): boolean {
  if (ay > py === by > py) return false;
  // Lower endpoint first, so the edge a→b and its neighbour's b→a round identically.
  if (ay > by) {
    const tx = ax;
    const ty = ay;
    ax = bx;
    ay = by;
    bx = tx;
    by = ty;
  }
  // px < x-intersection, multiplied out by (by - ay) > 0 to avoid a division.
  return (px - ax) * (by - ay) < (bx - ax) * (py - ay);
}

/** Area in squared degrees (shoelace), holes subtracted; only ever compared with other areas. */
export function polygonArea(g: GridGeometry): number {
  let area = 0;
  for (const polygon of listPolygons(g)) {
    for (const [r, ring] of polygon.entries()) {
      const ringArea = Math.abs(signedRingArea(ring));
      area += r === 0 ? ringArea : -ringArea;
    }
  }
  return area;
}

function signedRingArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a[0] - b[0]) * (a[1] + b[1]);
  }
  return sum / 2;
}

/** Overlap area below this share of the smaller geometry is clipping noise along a shared edge. */
const OVERLAP_TOLERANCE = 1e-9;

/**
 * Whether two geometries share interior area. Grids that only touch along an edge or at a corner
 * do not overlap; a grid inside another, or two identical grids, do.
 */
export function overlapsInterior(a: GridGeometry, b: GridGeometry): boolean {
  const ba = geometryBounds(a);
  const bb = geometryBounds(b);
  if (ba.maxX <= bb.minX || bb.maxX <= ba.minX || ba.maxY <= bb.minY || bb.maxY <= ba.minY) return false;
  const shared = polygonClipping.intersection(a.coordinates, b.coordinates);
  if (shared.length === 0) return false;
  const sharedArea = polygonArea({ type: 'MultiPolygon', coordinates: shared });
  return sharedArea > OVERLAP_TOLERANCE * Math.min(polygonArea(a), polygonArea(b));
}
