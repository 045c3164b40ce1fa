import { z } from 'zod';
import { CATEGORY_KINDS } from '../core/taxonomy/codes.ts';
import { RegionCodeInput } from './common.ts';

export const CategoryListQuery = z.object({
  region: RegionCodeInput.meta({ description: 'The region whose visible taxonomy to list, e.g. 330106' }),
});

export const Category = z
  .object({
    code: z.string().meta({ description: 'Stable code; a child extends its parent’s, e.g. SJ01 → SJ0101' }),
    name: z.string(),
    name_en: z.string(),
    parent_code: z.string().nullable(),
    leaf: z.boolean().meta({ description: 'True where cases may be filed' }),
    depth: z.number().int(),
    kind: z.enum(CATEGORY_KINDS),
    region_code: z.string().length(12).meta({ description: 'The region that defined the category' }),
  })
  .meta({ id: 'Category' });

export const CategoryListResponse = z.object({ items: z.array(Category) });

export const CategoryParams = z.object({ code: z.string().regex(/^(?:[0-9A-Z]{2}){1,5}$/) });
export const AddCategoryBody = z.object({
  region: RegionCodeInput,
  parent_code: z.string().nullable(),
  name: z.string().trim().min(1).max(60),
  name_en: z.string().trim().max(120).optional(),
  kind: z.enum(CATEGORY_KINDS).optional(),
});
export const RenameCategoryBody = z.object({
  region: RegionCodeInput,
  name: z.string().trim().min(1).max(60),
  name_en: z.string().trim().max(120).optional(),
});
export const ImportTaxonomyBody = z.object({
  region: RegionCodeInput,
  csv: z.string().min(1),
  under: z.string().optional(),
  kind: z.enum(CATEGORY_KINDS).optional(),
});
export const ImportTaxonomyResponse = z.object({
  rows: z.number().int(),
  format: z.enum(['coded', 'names']),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export const RemoveCategoryQuery = z.object({
  region: RegionCodeInput.meta({ description: 'The region that defined the category' }),
});
export const RemoveCategoryResponse = z.object({ removed: z.string() });
export const TAXONOMY_FORMATS = ['csv', 'json'] as const;
export const ExportTaxonomyQuery = z.object({
  region: RegionCodeInput.meta({ description: 'The region whose visible taxonomy to export' }),
  format: z.enum(TAXONOMY_FORMATS).default('csv'),
});
export const ExportTaxonomyResponse = z
  .string()
  .meta({ description: 'CSV (code,parent_code,name,name_en,kind,depth,leaf,region_code,sort) or JSON' });
