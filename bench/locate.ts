import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Bounds, GridGeometry, Position } from '../src/core/geo/geometry.ts';
import { GridIndex, type IndexedGrid } from '../src/core/geo/grid-index.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

/** About 300 m: a unit grid of a dense urban district. */
const SPACING = 0.003;
const ORIGIN: Position = [116.0, 39.5];

/**
 * A tiling of jittered quadrilaterals sharing their vertices, as surveyed grids do. About 5% have
 * a hole (a gap no grid covers) and about 5% are MultiPolygons: a shell with a hole plus an island
 * (an enclave) inside that hole. Deterministic for a seed, so tests can reuse it.
 */
export function makeSyntheticGrids(count: number, seed = 1): { grids: IndexedGrid[]; bounds: Bounds } {
  const random = makeRandom(seed);
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const vertex: Position[][] = [];
  for (let i = 0; i <= columns; i++) {
    vertex.push([]);
    for (let j = 0; j <= rows; j++) {
      // Up to a quarter of the spacing either way keeps every quadrilateral simple.
      const jx = i === 0 || i === columns ? 0 : (random() - 0.5) * 0.5 * SPACING;
      const jy = j === 0 || j === rows ? 0 : (random() - 0.5) * 0.5 * SPACING;
      vertex[i]!.push([ORIGIN[0] + i * SPACING + jx, ORIGIN[1] + j * SPACING + jy]);
    }
  }
  const grids: IndexedGrid[] = [];
  for (let n = 0; n < count; n++) {
    const i = n % columns;
    const j = Math.floor(n / columns);
    const v = (di: number, dj: number): Position => vertex[i + di]![j + dj]!;
    const shell = [v(0, 0), v(1, 0), v(1, 1), v(0, 1), v(0, 0)];
    const centre: Position = [ORIGIN[0] + (i + 0.5) * SPACING, ORIGIN[1] + (j + 0.5) * SPACING];
    const kind = random();
    let geometry: GridGeometry;
    if (kind < 0.05) {
      geometry = { type: 'Polygon', coordinates: [shell, square(centre, 0.15 * SPACING, true)] };
    } else if (kind < 0.1) {
      geometry = {
        type: 'MultiPolygon',
        coordinates: [[shell, square(centre, 0.15 * SPACING, true)], [square(centre, 0.07 * SPACING, false)]],
      };
    } else {
      geometry = { type: 'Polygon', coordinates: [shell] };
    }
    grids.push({ code: syntheticCode(n), geometry });
  }
  const bounds = {
    minX: ORIGIN[0],
    minY: ORIGIN[1],
    maxX: ORIGIN[0] + columns * SPACING,
    maxY: ORIGIN[1] + rows * SPACING,
  };
  return { grids, bounds };
}

/** A 15-digit grid code: Dongcheng's county prefix, a made-up community, a 3-digit sequence. */
function syntheticCode(n: number): string {
  const community = String(Math.floor(n / 999) + 1).padStart(6, '0');
  return `110101${community}${String((n % 999) + 1).padStart(3, '0')}`;
}

function square([x, y]: Position, half: number, clockwise: boolean): Position[] {
  const ring: Position[] = [
    [x - half, y - half],
    [x + half, y - half],
    [x + half, y + half],
    [x - half, y + half],
    [x - half, y - half],
  ];
  return clockwise ? ring.reverse() : ring;
}

/** mulberry32: a seeded generator, so every run measures the same grids and points. */
export function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makePoints(count: number, b: Bounds, seed: number): { xs: Float64Array; ys: Float64Array } {
  const random = makeRandom(seed);
  // A 5% margin on every side, so some points fall outside every grid, as mis-set GPS fixes do.
  const mx = (b.maxX - b.minX) * 0.05;
  const my = (b.maxY - b.minY) * 0.05;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    xs[k] = b.minX - mx + random() * (b.maxX - b.minX + 2 * mx);
    ys[k] = b.minY - my + random() * (b.maxY - b.minY + 2 * my);
  }
  return { xs, ys };
}

function readMemory(): number {
  globalThis.gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Best of two timed passes after a warm-up, so the JIT has compiled `locate` before we time it. */
function timeLocate(index: GridIndex, xs: Float64Array, ys: Float64Array, found: (string | undefined)[]) {
  for (let k = 0; k < Math.min(xs.length, 100_000); k++) index.locate(xs[k]!, ys[k]!);
  let best = Infinity;
  for (let pass = 0; pass < 2; pass++) {
    const start = performance.now();
    for (let k = 0; k < xs.length; k++) found[k] = index.locate(xs[k]!, ys[k]!);
    best = Math.min(best, performance.now() - start);
  }
  return best / 1000;
}

type PostgisResult =
  { ok: true; seconds: number; matched: number; differing: number } | { ok: false; why: string };

/** The same grids and points in PostGIS, timing only the indexed spatial join. */
async function measurePostgis(
  databaseUrl: string | undefined,
  grids: IndexedGrid[],
  xs: Float64Array,
  ys: Float64Array,
  ours: (string | undefined)[],
): Promise<PostgisResult> {
  if (!databaseUrl) return { ok: false, why: 'no DATABASE_URL' };
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
    } catch (error) {
      return { ok: false, why: `PostGIS unavailable: ${(error as Error).message}` };
    }
    // Temporary tables live in session-local buffers (8 MB by default); without room they would
    // be read through the OS on every probe. One worker, because our side uses one core. JIT off:
    // the planner's cost estimate triggers it, and compiling only added ~90 ms to a 100,000-point join.
    await client.query("SET temp_buffers = '512MB'");
    await client.query('SET max_parallel_workers_per_gather = 0');
    await client.query('SET jit = off');
    await client.query('CREATE TEMP TABLE g (code text PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL)');
    await client.query(
      'CREATE TEMP TABLE pts (id integer PRIMARY KEY, ours text, geom geometry(Point, 4326) NOT NULL)',
    );
    for (let start = 0; start < grids.length; start += 5_000) {
      const batch = grids.slice(start, start + 5_000);
      await client.query(
        `INSERT INTO g (code, geom)
         SELECT c, ST_SetSRID(ST_GeomFromGeoJSON(j), 4326) FROM unnest($1::text[], $2::text[]) AS t(c, j)`,
        [batch.map((x) => x.code), batch.map((x) => JSON.stringify(x.geometry))],
      );
    }
    for (let start = 0; start < xs.length; start += 50_000) {
      const end = Math.min(start + 50_000, xs.length);
      const ids = Array.from({ length: end - start }, (_, k) => start + k);
      await client.query(
        `INSERT INTO pts (id, ours, geom)
         SELECT id, ours, ST_SetSRID(ST_MakePoint(x, y), 4326)
         FROM unnest($1::int[], $2::text[], $3::float8[], $4::float8[]) AS t(id, ours, x, y)`,
        [
          ids,
          ids.map((k) => ours[k] ?? null),
          Array.from(xs.subarray(start, end)),
          Array.from(ys.subarray(start, end)),
        ],
      );
    }
    await client.query('CREATE INDEX ON g USING gist (geom)');
    await client.query('ANALYZE g');
    await client.query('ANALYZE pts');

    const join = 'SELECT count(*)::int AS n FROM pts JOIN g ON ST_Contains(g.geom, pts.geom)';
    let seconds = Infinity;
    let matched = 0;
    for (let pass = 0; pass < 2; pass++) {
      const start = performance.now();
      const result = await client.query<{ n: number }>(join);
      seconds = Math.min(seconds, (performance.now() - start) / 1000);
      matched = result.rows[0]!.n;
    }
    const disagreement = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pts LEFT JOIN g ON ST_Contains(g.geom, pts.geom)
       WHERE g.code IS DISTINCT FROM pts.ours`,
    );
    return { ok: true, seconds, matched, differing: disagreement.rows[0]!.n };
  } catch (error) {
    return { ok: false, why: `PostGIS run failed: ${(error as Error).message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function benchLocate(options: BenchOptions): Promise<BenchRow[]> {
  const gridCount = options.quick ? 10_000 : 100_000;
  const pointCount = options.quick ? 100_000 : 1_000_000;
  const { grids, bounds } = makeSyntheticGrids(gridCount, 1);
  const { xs, ys } = makePoints(pointCount, bounds, 2);

  const before = readMemory();
  const buildStart = performance.now();
  const index = GridIndex.build(grids);
  const buildMs = performance.now() - buildStart;
  const memoryMb = (readMemory() - before) / 2 ** 20;

  const found: (string | undefined)[] = new Array(pointCount);
  const seconds = timeLocate(index, xs, ys, found);
  const located = found.reduce((n, code) => (code === undefined ? n : n + 1), 0);
  const perSecond = pointCount / seconds;

  const postgis = await measurePostgis(options.databaseUrl, grids, xs, ys, found);
  const sizes = `${gridCount} grids, ${pointCount} points, one core`;
  const locateRow = postgis.ok
    ? row(
        'locate.points_per_second',
        perSecond,
        'points/s',
        'higher',
        { name: 'postgis_st_contains_gist', value: pointCount / postgis.seconds },
        `${sizes}, best of 2; PostGIS join on one worker, JIT off; ` +
          `we located ${located}, PostGIS matched ${postgis.matched}, ${postgis.differing} points differ`,
      )
    : row('locate.points_per_second', perSecond, 'points/s', 'higher', null, `${sizes}; ${postgis.why}`);
  return [
    locateRow,
    row('locate.index_build_ms', buildMs, 'ms', 'lower', null, `${gridCount} grids`),
    row(
      'locate.index_memory_mb',
      memoryMb,
      'MB',
      'lower',
      null,
      `${gridCount} grids; target < 150 MB${globalThis.gc ? '' : '; run with --expose-gc for a stable figure'}`,
    ),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchLocate({
    quick: process.argv.includes('--quick'),
    databaseUrl: process.env.DATABASE_URL,
  });
  console.table(rows);
}
