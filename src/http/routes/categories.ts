import type { IncomingHttpHeaders } from 'node:http';
import {
  AddCategoryBody,
  Category,
  CategoryListQuery,
  CategoryListResponse,
  CategoryParams,
  ExportTaxonomyQuery,
  ExportTaxonomyResponse,
  ImportTaxonomyBody,
  ImportTaxonomyResponse,
  RemoveCategoryQuery,
  RemoveCategoryResponse,
  RenameCategoryBody,
} from '../../api/categories.ts';
import type { Actor } from '../../core/access/roles.ts';
import { getRegion } from '../../regions/find-regions.ts';
import { addCategory } from '../../taxonomy/add-category.ts';
import { exportTaxonomy } from '../../taxonomy/export-taxonomy.ts';
import { importTaxonomyCsv } from '../../taxonomy/import-taxonomy-csv.ts';
import { listCategories } from '../../taxonomy/list-categories.ts';
import { removeCategory } from '../../taxonomy/remove-category.ts';
import { renameCategory } from '../../taxonomy/rename-category.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor, requireAllowed } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

const tags = ['categories'];

/** The taxonomy is public to read (whoever files a case picks from it). */
export function categoryRoutes({ store }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/categories',
      summary: '区划可见的事项分类 / The category taxonomy visible in a region',
      tags,
      query: CategoryListQuery,
      response: CategoryListResponse,
      handler: async ({ query }) => ({ items: await listCategories(store.db, query.region) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/categories/export',
      summary: '导出区划可见的分类（CSV 或 JSON）/ Export the taxonomy a region sees, as CSV or JSON',
      tags,
      query: ExportTaxonomyQuery,
      response: ExportTaxonomyResponse,
      contentType: 'text/csv; charset=utf-8',
      contentTypeOf: (query) =>
        query.format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
      handler: ({ query }) => exportTaxonomy(store.db, query.region, query.format),
    }),
  ];
}

/**
 * Writes to the taxonomy, audited. The `region` of the body is the defining region; the caller
 * needs taxonomy.edit over it (a county centre in its county, an administrator in its scope).
 */
export function categoryAdminRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock } = deps;
  const editor = async (headers: IncomingHttpHeaders, region: string): Promise<Actor> => {
    const actor = await requireActor(deps, headers);
    requireAllowed(actor, 'taxonomy.edit', { region_code: (await getRegion(store.db, region)).code });
    return actor;
  };
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/categories',
      summary: '新增下级分类 / Add a category',
      tags,
      body: AddCategoryBody,
      status: 201,
      response: Category,
      handler: async ({ body, headers }) => {
        const actor = await editor(headers, body.region);
        return addCategory({ store, clock, actor }, body);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/categories/:code',
      summary: '重命名本级定义的分类 / Rename a category the region defined',
      tags,
      params: CategoryParams,
      body: RenameCategoryBody,
      response: Category,
      handler: async ({ params, body, headers }) => {
        const actor = await editor(headers, body.region);
        return renameCategory({ store, clock, actor }, { ...body, code: params.code });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/categories/:code',
      summary: '删除本级定义且无下级的分类 / Remove a childless category the region defined',
      tags,
      params: CategoryParams,
      query: RemoveCategoryQuery,
      response: RemoveCategoryResponse,
      handler: async ({ params, query, headers }) => {
        const actor = await editor(headers, query.region);
        await removeCategory({ store, clock, actor }, { region: query.region, code: params.code });
        return { removed: params.code };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/categories/import',
      summary: '导入分类 CSV / Import a taxonomy CSV',
      tags,
      body: ImportTaxonomyBody,
      response: ImportTaxonomyResponse,
      handler: async ({ body, headers }) => {
        const actor = await editor(headers, body.region);
        return importTaxonomyCsv({ store, clock, actor }, body);
      },
    }),
  ];
}
