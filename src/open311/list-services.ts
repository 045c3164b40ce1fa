import type { DbOrTx } from '../db/schema.ts';
import { bilingual } from '../i18n/open311.ts';
import type { Category } from '../taxonomy/visible-categories.ts';
import { findJurisdiction, pathOf, serviceCategories } from './services-scope.ts';

/** One service of GET services, in the spec's field order. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

const named = (c: Pick<Category, 'name' | 'name_en'>) => bilingual({ zh: c.name, en: c.name_en });

/** `上水井盖 / Water-supply manhole cover`: Chinese first, English where the taxonomy has it. */
export function serviceName(category: Pick<Category, 'name' | 'name_en'>): string {
  return named(category);
}

/**
 * A leaf category as a service: its path as the description, the top-level category as the
 * group, and the names along the path (both languages) as keywords. Every service is `realtime`:
 * intake creates the case, and its number, at once.
 */
export function toService(leaf: Category, path: readonly Category[], metadata: boolean): Open311Service {
  const zh = path.map((c) => c.name).join(' › ');
  const en = path.map((c) => c.name_en || c.name).join(' › ');
  const keywords = new Set(
    [...path]
      .reverse()
      .flatMap((c) => [c.name, c.name_en])
      .map((k) => k.replace(/,/g, ' ').trim())
      .filter((k) => k !== ''),
  );
  return {
    service_code: leaf.code,
    service_name: named(leaf),
    description: bilingual({ zh, en }),
    metadata,
    type: 'realtime',
    keywords: [...keywords].join(','),
    group: named(path[0] ?? leaf),
  };
}

/**
 * GET services: the leaf categories residents may report where the request looks (a
 * `jurisdiction_id` region, else the provinces' base taxonomy), depth-first. `metadata` is true
 * where an administrator has defined attributes for the category.
 */
export async function listServices(db: DbOrTx, jurisdiction?: string): Promise<Open311Service[]> {
  const region = await findJurisdiction(db, jurisdiction);
  const categories = await serviceCategories(db, region);
  const defined = new Set(
    (await db.selectFrom('open311_attributes').select('category_code').distinct().execute()).map(
      (r) => r.category_code,
    ),
  );
  const byCode = new Map(categories.map((c) => [c.code, c]));
  return categories.filter((c) => c.leaf).map((c) => toService(c, pathOf(byCode, c), defined.has(c.code)));
}
