import type { GridGeometry } from '../core/geo/geometry.ts';
import { GridIndex } from '../core/geo/grid-index.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { readGridRevision } from './grid-revision.ts';
import { getRegion, type Region } from '../regions/find-regions.ts';

export interface GridLocatorOptions {
  /** How long a server trusts its index before asking whether the grid revision moved. */
  recheckMs?: number;
  now?: () => number;
}

/**
 * Holds the in-process spatial index of all grids and rebuilds it when the grid revision in the
 * database moves, whether this process or another (the CLI, a second server) changed the grids.
 */
export class GridLocator {
  private index: GridIndex | undefined;
  /** Name and community of every grid, and the communities' region paths, as of the index. */
  private grids = new Map<string, { name: string; community_code: string }>();
  private regions = new Map<string, Promise<Region>>();
  private revision = -1;
  private checkedAt = -Infinity;
  private loading: Promise<GridIndex> | undefined;
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: DbOrTx,
    options: GridLocatorOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
  }

  /** The current index; concurrent callers share one rebuild. */
  async current(): Promise<GridIndex> {
    if (this.index && this.now() - this.checkedAt < this.recheckMs) return this.index;
    this.loading ??= this.refresh().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Forget the index so the next call rebuilds it (after a change in this process). */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }

  private async refresh(): Promise<GridIndex> {
    const revision = await readGridRevision(this.db);
    this.checkedAt = this.now();
    if (this.index && revision === this.revision) return this.index;
    const rows = await this.db
      .selectFrom('grids')
      .select(['code', 'name', 'community_code', 'geometry'])
      .execute();
    this.index = GridIndex.build(
      rows.map((r) => ({ code: r.code, geometry: readJson<GridGeometry>(r.geometry) })),
    );
    this.grids = new Map(rows.map((r) => [r.code, { name: r.name, community_code: r.community_code }]));
    this.regions = new Map();
    this.revision = revision;
    return this.index;
  }

  /**
   * The grid containing a point, with its community's region and path, from memory: the grid
   * table and the communities' paths are read once per index revision.
   */
  async locate(
    lon: number,
    lat: number,
  ): Promise<{ grid: { code: string; name: string }; region: Region } | undefined> {
    const index = await this.current();
    const code = index.locate(lon, lat);
    const grid = code === undefined ? undefined : this.grids.get(code);
    if (code === undefined || !grid) return undefined;
    let region = this.regions.get(grid.community_code);
    if (!region) {
      region = getRegion(this.db, grid.community_code);
      region.catch(() => this.regions.delete(grid.community_code));
      this.regions.set(grid.community_code, region);
    }
    return { grid: { code, name: grid.name }, region: await region };
  }
}
