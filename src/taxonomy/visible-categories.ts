import type { CategoryKind } from '../core/taxonomy/codes.ts';
import type { DefiningRegion } from '../core/taxonomy/inheritance.ts';
import { markLeaves, treeOrder } from '../core/taxonomy/tree.ts';
import { levelNumber } from '../core/regions/codes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';

/** A category as a region sees it: `leaf` says whether cases may be filed under it there. */
export interface Category {
  code: string;
  parent_code: string | null;
  name: string;
  name_en: string;
  depth: number;
  leaf: boolean;
  kind: CategoryKind;
  region_code: string;
  region_level: number;
  sort: number;
}

export interface TaxonomyScope {
  region: DefiningRegion & { name: string };
  /** The region and its ancestors that define categories (province, city, county), as `level:code`. */
  definers: Array<{ code: string; level: number }>;
}

/** The region (any accepted code form) and the regions whose categories it sees. */
export async function resolveScope(db: DbOrTx, regionInput: string): Promise<TaxonomyScope> {
  const region = await getRegion(db, regionInput);
  const chain = [...region.path, region].map((r) => ({ code: r.code, level: levelNumber(r.level) }));
  return {
    region: { code: region.code, level: levelNumber(region.level), name: region.name },
    definers: chain.filter((r) => r.level <= 3),
  };
}

/**
 * The taxonomy visible in a region: the province's base plus the additions of the region and its
 * ancestors, never a sibling's. Depth-first, each category after its parent.
 */
export async function visibleCategories(db: DbOrTx, scope: TaxonomyScope): Promise<Category[]> {
  // Uses categories_region_idx (region_code IN …).
  const rows = await db
    .selectFrom('categories')
    .select([
      'code',
      'parent_code',
      'name',
      'name_en',
      'depth',
      'kind',
      'region_code',
      'region_level',
      'sort',
    ])
    .where(
      'region_code',
      'in',
      scope.definers.map((d) => d.code),
    )
    .execute();
  const seen = rows.filter((r) =>
    scope.definers.some((d) => d.code === r.region_code && d.level === r.region_level),
  );
  const typed = seen.map((r) => ({ ...r, kind: r.kind as CategoryKind, depth: Number(r.depth) }));
  return markLeaves(treeOrder(typed));
}
