import type { RegionLevel } from '../core/regions/codes.ts';
import { validateListContent, type ListContext, type ListProblem } from '../core/responsibility/validate.ts';
import type { DbOrTx } from '../db/schema.ts';
import { listWithin } from '../regions/find-regions.ts';
import { readList } from './list-rows.ts';

/** What exists that a list of this region may name: categories, departments, its townships. */
export async function loadListContext(
  db: DbOrTx,
  region_code: string,
  region_level: RegionLevel,
): Promise<ListContext> {
  const [categories, departments, townships] = await Promise.all([
    db.selectFrom('categories').select('code').execute(),
    db.selectFrom('departments').select('id').execute(),
    region_level === 'community' ? Promise.resolve([]) : listWithin(db, region_code, 'township'),
  ]);
  return {
    region_code,
    region_level,
    categories: new Set(categories.map((c) => c.code)),
    departments: new Set(departments.map((d) => d.id)),
    townships: new Set(townships.map((t) => t.code)),
  };
}

/** What stands between a list and publication; empty when it can be published. */
export async function validateList(db: DbOrTx, listId: string): Promise<ListProblem[]> {
  const list = await readList(db, listId);
  return validateListContent(list, await loadListContext(db, list.region_code, list.region_level));
}
