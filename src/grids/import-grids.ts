import { DomainError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import { checkGridCode } from '../core/grids/grid-code.ts';
import {
  geometryBounds,
  overlapsInterior,
  validateGeometry,
  type GeometryProblem,
  type GridGeometry,
} from '../core/geo/geometry.ts';
import { GridIndex } from '../core/geo/grid-index.ts';
import { readJson, rowsPerInsert } from '../db/dialect.ts';
import type { Store } from '../db/database.ts';
import type { DbOrTx } from '../db/schema.ts';
import { bumpGridRevision } from './grid-revision.ts';
import { inTransaction } from '../db/transaction.ts';

export type GridProblemReason =
  | 'not_feature_collection'
  | 'not_feature'
  | 'missing_code'
  | 'invalid_code'
  | 'missing_name'
  | 'unknown_community'
  | 'duplicate_code'
  | 'overlap'
  | GeometryProblem;

/** One rejected feature: its position in the file (-1 for the file itself), its code and why. */
export interface GridProblem {
  index: number;
  code: string | null;
  reason: GridProblemReason;
  detail: string;
}

export interface GridImportOptions {
  /** Update grids whose code exists already instead of rejecting them as duplicates. */
  replace?: boolean;
  /** Mark the geometry as generated rather than surveyed (the demo). */
  synthetic?: boolean;
}

export interface GridImportReport {
  inserted: number;
  replaced: number;
  revision: number;
}

interface Candidate {
  index: number;
  code: string;
  name: string;
  community: string;
  geometry: GridGeometry;
}

/**
 * Imports a GeoJSON FeatureCollection of grids: all of it, or, when any feature is bad, none of
 * it, with every bad feature reported (DomainError 'grid.import_rejected', details.problems).
 */
export async function importGrids(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock },
  input: unknown,
  options: GridImportOptions = {},
): Promise<GridImportReport> {
  const { candidates, problems } = readFeatures(input);
  const now = deps.clock.now().toISOString();
  return inTransaction(deps.store.db, async (tx) => {
    const revision = await bumpGridRevision(tx);
    const existing = await existingCodes(
      tx,
      candidates.map((c) => c.code),
      deps.store.traits.maxParams,
    );
    problems.push(...(await unknownCommunities(tx, candidates, deps.store.traits.maxParams)));
    if (!options.replace) {
      for (const c of candidates) {
        if (existing.has(c.code))
          problems.push(problem(c, 'duplicate_code', `grid ${c.code} exists already`));
      }
    }
    problems.push(...(await overlaps(tx, candidates, options.replace ? existing : new Set())));
    if (problems.length > 0) {
      problems.sort((a, b) => a.index - b.index);
      throw new DomainError('grid.import_rejected', { count: problems.length, problems });
    }
    const rows = candidates.map((c) => {
      const b = geometryBounds(c.geometry);
      return {
        code: c.code,
        name: c.name,
        community_code: c.community,
        geometry: JSON.stringify(c.geometry),
        min_lon: b.minX,
        min_lat: b.minY,
        max_lon: b.maxX,
        max_lat: b.maxY,
        synthetic: options.synthetic ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
    });
    const size = rowsPerInsert(deps.store.traits, 11);
    for (let i = 0; i < rows.length; i += size) {
      await tx
        .insertInto('grids')
        .values(rows.slice(i, i + size))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            community_code: eb.ref('excluded.community_code'),
            geometry: eb.ref('excluded.geometry'),
            min_lon: eb.ref('excluded.min_lon'),
            min_lat: eb.ref('excluded.min_lat'),
            max_lon: eb.ref('excluded.max_lon'),
            max_lat: eb.ref('excluded.max_lat'),
            synthetic: eb.ref('excluded.synthetic'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    const replaced = candidates.filter((c) => existing.has(c.code)).length;
    return { inserted: candidates.length - replaced, replaced, revision };
  });
}

function problem(
  c: { index: number; code: string | null },
  reason: GridProblemReason,
  detail: string,
): GridProblem {
  return { index: c.index, code: c.code, reason, detail };
}

/** The checks that need only the file: shape, properties, geometry, code rule, duplicates within it. */
function readFeatures(input: unknown): { candidates: Candidate[]; problems: GridProblem[] } {
  const problems: GridProblem[] = [];
  const candidates: Candidate[] = [];
  const collection = input as { type?: unknown; features?: unknown } | null;
  if (!collection || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    const p = problem(
      { index: -1, code: null },
      'not_feature_collection',
      'expected a GeoJSON FeatureCollection',
    );
    throw new DomainError('grid.import_rejected', { count: 1, problems: [p] });
  }
  const seen = new Map<string, number>();
  collection.features.forEach((raw: unknown, index: number) => {
    const feature = raw as {
      type?: unknown;
      properties?: Record<string, unknown> | null;
      geometry?: unknown;
    };
    if (!feature || feature.type !== 'Feature') {
      problems.push(problem({ index, code: null }, 'not_feature', 'expected a GeoJSON Feature'));
      return;
    }
    const props = feature.properties ?? {};
    const code =
      typeof props.code === 'string'
        ? props.code.trim()
        : typeof props.code === 'number'
          ? String(props.code)
          : '';
    const at = { index, code: code || null };
    if (!code) return void problems.push(problem(at, 'missing_code', 'properties.code is required'));
    const name = typeof props.name === 'string' ? props.name.trim() : '';
    if (!name) return void problems.push(problem(at, 'missing_name', 'properties.name is required'));
    const community = typeof props.community_code === 'string' ? props.community_code.trim() : '';
    if (!/^\d{12}$/.test(community)) {
      return void problems.push(
        problem(at, 'unknown_community', 'properties.community_code must be a 12-digit community code'),
      );
    }
    const codeProblem = checkGridCode(code, community);
    if (codeProblem) {
      return void problems.push(
        problem(
          at,
          'invalid_code',
          `${codeProblem}: a grid code is the community code plus a 2 or 3 digit sequence`,
        ),
      );
    }
    const checked = validateGeometry(feature.geometry);
    if (!checked.ok) return void problems.push(problem(at, checked.reason, checked.detail));
    const first = seen.get(code);
    if (first !== undefined) {
      return void problems.push(
        problem(at, 'duplicate_code', `code ${code} is used by feature ${first} too`),
      );
    }
    seen.set(code, index);
    candidates.push({ index, code, name, community, geometry: checked.geometry });
  });
  return { candidates, problems };
}

async function existingCodes(tx: DbOrTx, codes: string[], maxParams: number): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < codes.length; i += maxParams) {
    const rows = await tx
      .selectFrom('grids')
      .select('code')
      .where('code', 'in', codes.slice(i, i + maxParams))
      .execute();
    for (const r of rows) found.add(r.code);
  }
  return found;
}

async function unknownCommunities(
  tx: DbOrTx,
  candidates: Candidate[],
  maxParams: number,
): Promise<GridProblem[]> {
  const wanted = [...new Set(candidates.map((c) => c.community))];
  const known = new Set<string>();
  for (let i = 0; i < wanted.length; i += maxParams) {
    const rows = await tx
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 5)
      .where('code', 'in', wanted.slice(i, i + maxParams))
      .execute();
    for (const r of rows) known.add(r.code);
  }
  return candidates
    .filter((c) => !known.has(c.community))
    .map((c) => problem(c, 'unknown_community', `no community (村/社区) with code ${c.community}`));
}

/** Overlaps with another feature of the file (reported on the later one) and with stored grids. */
async function overlaps(tx: DbOrTx, candidates: Candidate[], replacing: Set<string>): Promise<GridProblem[]> {
  if (candidates.length === 0) return [];
  const found: GridProblem[] = [];
  const inFile = GridIndex.build(candidates);
  const byCode = new Map(candidates.map((c) => [c.code, c]));
  const all = candidates.map((c) => geometryBounds(c.geometry));
  const box = {
    minX: Math.min(...all.map((b) => b.minX)),
    minY: Math.min(...all.map((b) => b.minY)),
    maxX: Math.max(...all.map((b) => b.maxX)),
    maxY: Math.max(...all.map((b) => b.maxY)),
  };
  // Stored grids near the file; the bounding-box columns narrow the scan before the exact test.
  const stored = (
    await tx
      .selectFrom('grids')
      .select(['code', 'geometry'])
      .where('max_lon', '>=', box.minX)
      .where('min_lon', '<=', box.maxX)
      .where('max_lat', '>=', box.minY)
      .where('min_lat', '<=', box.maxY)
      .execute()
  ).filter((g) => !replacing.has(g.code));
  const storedGeometry = new Map(stored.map((g) => [g.code, readJson<GridGeometry>(g.geometry)]));
  const storedIndex = GridIndex.build([...storedGeometry].map(([code, geometry]) => ({ code, geometry })));

  for (const c of candidates) {
    const bounds = geometryBounds(c.geometry);
    for (const other of inFile.candidates(bounds)) {
      const o = byCode.get(other);
      if (o && o.index < c.index && overlapsInterior(c.geometry, o.geometry)) {
        found.push(problem(c, 'overlap', `overlaps feature ${o.index} (${o.code}) of the same file`));
        break;
      }
    }
    for (const other of storedIndex.candidates(bounds)) {
      const g = storedGeometry.get(other);
      if (g && overlapsInterior(c.geometry, g)) {
        found.push(problem(c, 'overlap', `overlaps existing grid ${other}`));
        break;
      }
    }
  }
  return found;
}
