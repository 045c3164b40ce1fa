import type { CategoryKind } from '../core/taxonomy/codes.ts';
import type { DefiningRegion } from '../core/taxonomy/inheritance.ts';
import { markLeaves, treeOrder } from '../core/taxonomy/tree.ts';
import { levelNumber } from '../core/regions/codes.ts';
import { arg, prepared } from '../db/prepared.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion, type Region } from '../regions/find-regions.ts';

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
  return scopeOfRegion(await getRegion(db, regionInput));
}

/** The scope of a region already read with its path (saves resolveScope's lookups). */
export function scopeOfRegion(region: Region): TaxonomyScope {
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
  const rows = await selectCategories(db)
    .where(
      'region_code',
      'in',
      scope.definers.map((d) => d.code),
    )
    .execute();
  return categoryTree(rows.filter((r) => isSeenBy(scope, r)));
}

/** The columns of a Category, for a query to narrow down. */
export function selectCategories(db: DbOrTx) {
  return db
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
    ]);
}

/** Category rows as a tree: depth-first, each after its parent, `leaf` marked. */
export function categoryTree(
  rows: ReadonlyArray<Omit<Category, 'kind' | 'depth' | 'leaf'> & { kind: string; depth: number | string }>,
): Category[] {
  return markLeaves(
    treeOrder(rows.map((r) => ({ ...r, kind: r.kind as CategoryKind, depth: Number(r.depth) }))),
  );
}

/** Whether the scope sees a category row: one of its definers (the region or an ancestor) made it. */
function isSeenBy(scope: TaxonomyScope, row: { region_code: string; region_level: number }): boolean {
  return scope.definers.some((d) => d.code === row.region_code && d.level === row.region_level);
}

/**
 * One category as the scope sees it, with `leaf` (no child the scope sees), or undefined. Reads the
 * category and its children only: what intake checks on every report.
 */
export async function findVisibleCategory(
  db: DbOrTx,
  scope: TaxonomyScope,
  code: string,
): Promise<{ code: string; leaf: boolean } | undefined> {
  const { rows } = await categoryAndChildren(db, [code]);
  const seen = rows.filter((r) => isSeenBy(scope, r));
  if (!seen.some((r) => r.code === code)) return undefined;
  return { code, leaf: !seen.some((r) => r.parent_code === code) };
}

// Uses the primary key (code) and categories_parent_idx (parent_code).
const categoryAndChildren = prepared((db) =>
  db
    .selectFrom('categories')
    .select(['code', 'parent_code', 'region_code', 'region_level'])
    .where((eb) => eb.or([eb('code', '=', arg(0)), eb('parent_code', '=', arg(0))])),
);
