import {
  AddCategoryBody,
  Category,
  CategoryListQuery,
  CategoryListResponse,
  CategoryParams,
  ImportTaxonomyBody,
  ImportTaxonomyResponse,
  RenameCategoryBody,
} from '../../api/categories.ts';
import { addCategory } from '../../taxonomy/add-category.ts';
import { importTaxonomyCsv } from '../../taxonomy/import-taxonomy-csv.ts';
import { listCategories } from '../../taxonomy/list-categories.ts';
import { renameCategory } from '../../taxonomy/rename-category.ts';
import type { AppDeps } from '../app.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

export function categoryRoutes({ store }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/categories',
      summary: '区划可见的事项分类 / The category taxonomy visible in a region',
      tags: ['categories'],
      query: CategoryListQuery,
      response: CategoryListResponse,
      handler: async ({ query }) => ({ items: await listCategories(store.db, query.region) }),
    }),
  ];
}

/**
 * Writes to the taxonomy. Not registered yet: they wait for accounts, which will put the caller's
 * region in place of the `region` field and check the caller's role.
 */
export function categoryAdminRoutes({ store, clock }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/categories',
      summary: '新增下级分类 / Add a category',
      tags: ['categories'],
      body: AddCategoryBody,
      status: 201,
      response: Category,
      handler: ({ body }) => addCategory({ store, clock }, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/categories/:code',
      summary: '重命名本级定义的分类 / Rename a category the region defined',
      tags: ['categories'],
      params: CategoryParams,
      body: RenameCategoryBody,
      response: Category,
      handler: ({ params, body }) => renameCategory({ store }, { ...body, code: params.code }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/categories/import',
      summary: '导入分类 CSV / Import a taxonomy CSV',
      tags: ['categories'],
      body: ImportTaxonomyBody,
      response: ImportTaxonomyResponse,
      handler: ({ body }) => importTaxonomyCsv({ store, clock }, body),
    }),
  ];
}
