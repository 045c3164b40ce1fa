import type { Generated, Kysely, Transaction } from 'kysely';

/** Table types as Kysely sees them. Timestamps are ISO 8601 strings in UTC at this boundary. */
export interface RegionTable {
  code: string;
  level: number;
  name: string;
  parent_code: string | null;
}

export interface GridTable {
  code: string;
  name: string;
  community_code: string;
  community_level: Generated<number>;
  /** GeoJSON Polygon or MultiPolygon, as JSON text. */
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  /** 1 where the geometry was generated (the demo), not surveyed. */
  synthetic: number;
  created_at: string;
  updated_at: string;
}

export interface GridWorkerAssignmentTable {
  id: Generated<number>;
  grid_code: string;
  /** Stable reference to the person; becomes a user id once accounts exist. */
  worker_ref: string;
  worker_name: string;
  duty: string;
  assigned_at: string;
  ended_at: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  regions: RegionTable;
  grids: GridTable;
  grid_worker_assignments: GridWorkerAssignmentTable;
  meta: MetaTable;
}

export type Db = Kysely<Database>;
/** A connection or an open transaction: use cases accept either. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;
