import { z } from 'zod';
import { GRID_DUTIES } from '../core/grids/grid-duties.ts';
import { Region, RegionCodeInput } from './common.ts';

export const LocateQuery = z.object({
  lon: z.coerce.number().min(-180).max(180).meta({ description: 'WGS84 longitude' }),
  lat: z.coerce.number().min(-90).max(90).meta({ description: 'WGS84 latitude' }),
});

export const GridRef = z.object({ code: z.string(), name: z.string() }).meta({ id: 'GridRef' });

export const LocateResponse = z.object({
  grid: GridRef,
  region: Region.meta({ description: 'The community of the grid, with its path from the province' }),
});

const Position = z.tuple([z.number(), z.number()]);
export const GridGeometrySchema = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) }),
]);

export const GridFeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    code: z.string(),
    name: z.string(),
    community_code: z.string(),
    synthetic: z.boolean(),
  }),
  geometry: GridGeometrySchema,
});

export const GridsQuery = z.object({
  within: RegionCodeInput.optional().meta({ description: 'Only grids under this region' }),
});
export const GridCollectionResponse = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(GridFeatureSchema),
});

export const GridParams = z.object({ code: z.string().regex(/^\d{14,15}$/) });
export const GridWorker = z.object({
  worker_ref: z.string(),
  worker_name: z.string(),
  duty: z.string(),
  assigned_at: z.string(),
});
export const GridResponse = z.object({
  code: z.string(),
  name: z.string(),
  community: Region,
  synthetic: z.boolean(),
  geometry: GridGeometrySchema,
  workers: z.array(GridWorker),
});

export const GridImportQuery = z.object({
  replace: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true: update stored grids of the same code instead of refusing them' }),
});
export const GridImportBody = z
  .object({ type: z.string(), features: z.array(z.unknown()) })
  .meta({ description: 'A GeoJSON FeatureCollection of Polygon or MultiPolygon grids (docs/grids.md)' });
export const GridImportResponse = z.object({
  inserted: z.number().int(),
  replaced: z.number().int(),
  revision: z.number().int(),
});

export const GridWorkerBody = z.object({
  worker_ref: z.string().trim().min(1).max(64).meta({ description: 'A stable reference, e.g. a username' }),
  worker_name: z.string().trim().min(1).max(100),
  duty: z.enum(GRID_DUTIES).default('full_time'),
});
export const GridWorkerParams = z.object({ code: GridParams.shape.code, ref: z.string().min(1).max(64) });
export const GridWorkerEnded = z.object({ ended: z.literal(true) });
