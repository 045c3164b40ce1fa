import type { Bounds } from './geometry.ts';

export interface Point {
  lon: number;
  lat: number;
}

/** Mean Earth radius (IUGG), the radius haversine distances are computed on. */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * Great-circle distance in meters between two WGS84 points (haversine). On the scales of duplicate
 * suggestions (tens of meters) the spherical model errs by well under a meter.
 */
export function haversineMeters(a: Point, b: Point): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A lon/lat box that holds every point within `meters` of `center`, slightly generous so that a
 * box test never drops a point the exact distance would keep. Not meant for the poles.
 */
export function boxAround(center: Point, meters: number): Bounds {
  const dLat = (meters / (EARTH_RADIUS_M * RAD)) * 1.01;
  const dLon = dLat / Math.max(Math.cos(center.lat * RAD), 1e-6);
  return {
    minX: center.lon - dLon,
    minY: center.lat - dLat,
    maxX: center.lon + dLon,
    maxY: center.lat + dLat,
  };
}
