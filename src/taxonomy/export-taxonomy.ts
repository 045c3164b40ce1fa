import type { DbOrTx } from '../db/schema.ts';
import { toCsv } from '../core/csv.ts';
import { listCategories } from './list-categories.ts';

/** Columns of the coded CSV; import-taxonomy-csv reads code, parent_code, name, name_en, kind and sort. */
export const EXPORT_COLUMNS = [
  'code',
  'parent_code',
  'name',
  'name_en',
  'kind',
  'depth',
  'leaf',
  'region_code',
  'sort',
] as const;

export type TaxonomyFormat = 'csv' | 'json';

/**
 * The taxonomy visible in a region as CSV (UTF-8, CRLF, header first) or JSON
 * (`{ region, categories: [...] }`), depth-first. Importing the CSV as the same region into a
 * store without it gives back the same export.
 */
export async function exportTaxonomy(db: DbOrTx, region: string, format: TaxonomyFormat): Promise<string> {
  const categories = await listCategories(db, region);
  const rows = categories.map((c) => ({
    code: c.code,
    parent_code: c.parent_code,
    name: c.name,
    name_en: c.name_en,
    kind: c.kind,
    depth: c.depth,
    leaf: c.leaf,
    region_code: c.region_code,
    sort: c.sort,
  }));
  if (format === 'json') return JSON.stringify({ region, categories: rows }, null, 2) + '\n';
  return toCsv([
    [...EXPORT_COLUMNS],
    ...rows.map((r) =>
      EXPORT_COLUMNS.map((k) => {
        const v = r[k];
        return v === null ? '' : typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }),
    ),
  ]);
}
