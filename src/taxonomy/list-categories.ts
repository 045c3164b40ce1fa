import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';
import { resolveScope, visibleCategories, type Category } from './visible-categories.ts';

export type { Category } from './visible-categories.ts';

/**
 * The taxonomy visible in a region (any accepted code form, any level): the province's base plus
 * the additions of the region and its ancestors, never a sibling's. Depth-first order.
 */
export async function listCategories(db: DbOrTx, region: string): Promise<Category[]> {
  return visibleCategories(db, await resolveScope(db, region));
}

/** A category as the region sees it, or category.not_found (also for a sibling region's addition). */
export async function getVisibleCategory(db: DbOrTx, region: string, code: string): Promise<Category> {
  const found = (await listCategories(db, region)).find((c) => c.code === code);
  if (!found) throw new DomainError('category.not_found', { code });
  return found;
}
