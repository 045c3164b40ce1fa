import type { GridGeometry } from '../core/geo/geometry.ts';
import { GridIndex } from '../core/geo/grid-index.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { readGridRevision } from './grid-revision.ts';

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
    const rows = await this.db.selectFrom('grids').select(['code', 'geometry']).execute();
    this.index = GridIndex.build(
      rows.map((r) => ({ code: r.code, geometry: readJson<GridGeometry>(r.geometry) })),
    );
    this.revision = revision;
    return this.index;
  }
}
