import { validateListContent, type ListProblem } from '../core/responsibility/validate.ts';
import type { DbOrTx } from '../db/schema.ts';
import { listWithin } from '../regions/find-regions.ts';
import { readList } from './list-rows.ts';

/** What stands between a list and publication; empty when it can be published. */
export async function validateList(db: DbOrTx, listId: string): Promise<ListProblem[]> {
  const list = await readList(db, listId);
  const [categories, departments, townships] = await Promise.all([
    db.selectFrom('categories').select('code').execute(),
    db.selectFrom('departments').select('id').execute(),
    list.region_level === 'community' ? Promise.resolve([]) : listWithin(db, list.region_code, 'township'),
  ]);
  return validateListContent(list, {
    region_code: list.region_code,
    region_level: list.region_level,
    categories: new Set(categories.map((c) => c.code)),
    departments: new Set(departments.map((d) => d.id)),
    townships: new Set(townships.map((t) => t.code)),
  });
}
