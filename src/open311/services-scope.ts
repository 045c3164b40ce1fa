import { levelNumber } from '../core/regions/codes.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import type { AttributeDatatype, AttributeDefinition, AttributeValue } from '../core/open311/attributes.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion, type Region } from '../regions/find-regions.ts';
import {
  categoryTree,
  scopeOfRegion,
  selectCategories,
  visibleCategories,
  type Category,
} from '../taxonomy/visible-categories.ts';

/**
 * The region a `jurisdiction_id` names (a region code in any accepted form), or undefined when the
 * request names none. An id that is no region of this platform is `open311.jurisdiction_not_found`.
 */
export async function findJurisdiction(
  db: DbOrTx,
  jurisdiction: string | undefined,
): Promise<Region | undefined> {
  const id = jurisdiction?.trim();
  if (!id) return undefined;
  try {
    return await getRegion(db, id);
  } catch (error) {
    if (isDomainError(error) && (error.code === 'region.invalid_code' || error.code === 'region.not_found')) {
      throw new DomainError('open311.jurisdiction_not_found', { jurisdiction_id: id });
    }
    throw error;
  }
}

/**
 * The taxonomy the service list is made of: what the jurisdiction's region sees, or without one the
 * provinces' own taxonomies (what every region sees), depth-first with `leaf` marked.
 */
export async function serviceCategories(db: DbOrTx, region: Region | undefined): Promise<Category[]> {
  if (region) return visibleCategories(db, scopeOfRegion(region));
  // A few hundred rows: the base taxonomies that every region inherits.
  return categoryTree(
    await selectCategories(db).where('region_level', '=', levelNumber('province')).execute(),
  );
}

/** A definition's attributes, in their order. */
export async function loadDefinitions(
  db: DbOrTx,
  codes: readonly string[],
): Promise<Map<string, AttributeDefinition[]>> {
  const out = new Map<string, AttributeDefinition[]>();
  if (codes.length === 0) return out;
  // open311_attributes primary key (category_code, code).
  const rows = await db
    .selectFrom('open311_attributes')
    .selectAll()
    .where('category_code', 'in', codes)
    .orderBy('category_code')
    .orderBy('sort_order')
    .execute();
  for (const r of rows) {
    const list = out.get(r.category_code) ?? [];
    list.push({
      code: r.code,
      order: r.sort_order,
      datatype: r.datatype as AttributeDatatype,
      variable: r.variable === 1,
      required: r.required === 1,
      description: r.description,
      datatype_description: r.datatype_description,
      values: readJson<AttributeValue[]>(r.options),
    });
    out.set(r.category_code, list);
  }
  return out;
}

/**
 * The leaf a service code names where the request looks (the jurisdiction, else the provinces'
 * taxonomy), with its path from the root; `open311.service_not_found` otherwise.
 */
export async function findService(
  db: DbOrTx,
  region: Region | undefined,
  code: string,
): Promise<{ leaf: Category; path: Category[] }> {
  const categories = await serviceCategories(db, region);
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const leaf = byCode.get(code);
  if (!leaf || !leaf.leaf) throw new DomainError('open311.service_not_found', { service_code: code });
  return { leaf, path: pathOf(byCode, leaf) };
}

/** The category and its ancestors, root first. */
export function pathOf(byCode: ReadonlyMap<string, Category>, category: Category): Category[] {
  const path: Category[] = [];
  for (let c: Category | undefined = category; c; c = c.parent_code ? byCode.get(c.parent_code) : undefined) {
    path.unshift(c);
  }
  return path;
}
