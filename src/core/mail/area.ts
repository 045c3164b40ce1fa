import { boxAround, haversineMeters, type Point } from '../geo/distance.ts';
import { isWithin, LEVEL_DIGITS, REGION_LEVELS, type RegionLevel } from '../regions/codes.ts';

/**
 * An area a resident subscribes to for new cases: a region (a community, township or county, with
 * everything under it) or a circle of `radius_m` metres around a point.
 */
export type Area =
  { kind: 'region'; code: string; level: RegionLevel } | { kind: 'circle'; center: Point; radius_m: number };

/** Circles from a street corner to a district; larger areas are better named by their region. */
export const RADIUS_LIMITS = { min: 50, max: 20_000 } as const;

/** Levels a region subscription may name: county or below (a city's new cases are no one's mail). */
export const AREA_LEVELS: readonly RegionLevel[] = ['county', 'township', 'community'];

/** Why an area is refused, or null when it is acceptable. */
export function areaProblem(area: Area): string | null {
  if (area.kind === 'region') {
    return AREA_LEVELS.includes(area.level) ? null : `region level ${area.level}: county or below`;
  }
  const { lon, lat } = area.center;
  if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 85)) return 'center: lon -180..180, lat -85..85';
  const r = area.radius_m;
  if (!Number.isInteger(r) || r < RADIUS_LIMITS.min || r > RADIUS_LIMITS.max) {
    return `radius_m: a whole number from ${RADIUS_LIMITS.min} to ${RADIUS_LIMITS.max}`;
  }
  return null;
}

/** The lon/lat box stored beside a circle, so that intake finds candidates with an index. */
export function areaBox(area: Area) {
  if (area.kind === 'region') return null;
  const b = boxAround(area.center, area.radius_m);
  return { min_lon: b.minX, min_lat: b.minY, max_lon: b.maxX, max_lat: b.maxY };
}

/**
 * The region codes (12 digits) whose subscriptions may cover a case in `regionCode`: the region
 * itself and its ancestors at the levels a subscription may name.
 */
export function coveringRegionCodes(regionCode: string): string[] {
  return [...new Set(AREA_LEVELS.map((level) => regionCode.slice(0, LEVEL_DIGITS[level]).padEnd(12, '0')))];
}

/** Whether a new case (its region, and its point when it has one) lies in the area. */
export function isInArea(area: Area, place: { region_code: string; point: Point | null }): boolean {
  if (area.kind === 'region') return isWithin(place.region_code, area.code, area.level);
  return place.point !== null && haversineMeters(area.center, place.point) <= area.radius_m;
}

export function levelOfNumber(n: number): RegionLevel {
  return REGION_LEVELS[n - 1] ?? 'community';
}
