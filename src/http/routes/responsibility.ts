import {
  CoverageQuery,
  CoverageResponse,
  DraftBody,
  ExportQuery,
  ImportBody,
  ImportResponse,
  ListContentSchema,
  ListHeaderSchema,
  ListParams,
  ListSchema,
  ListsQuery,
  ListsResponse,
  ProblemsResponse,
  ResolveQuery,
  ResolveResponse,
} from '../../api/responsibility.ts';
import { getRegion } from '../../regions/find-regions.ts';
import { coverageReport } from '../../responsibility/coverage-report.ts';
import { draftList } from '../../responsibility/draft-list.ts';
import { exportList } from '../../responsibility/export-list.ts';
import { importList } from '../../responsibility/import-list.ts';
import { getListHeader, listListHeaders, readList } from '../../responsibility/list-rows.ts';
import { publishList } from '../../responsibility/publish-list.ts';
import { resolveResponsibility } from '../../responsibility/resolve-responsibility.ts';
import { saveDraft } from '../../responsibility/save-draft.ts';
import { validateList } from '../../responsibility/validate-list.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor, requireAllowed } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { z } from 'zod';

const tags = ['responsibility'];

/** Published responsibility lists are public (权责清单 are published by law); editing needs a scope. */
export function responsibilityRoutes(deps: AppDeps): AnyRoute[] {
  const { store, rules } = deps;
  const editor = async (
    headers: Parameters<typeof requireActor>[1],
    listId: string,
    action: 'responsibility.edit' | 'responsibility.publish',
  ) => {
    const actor = await requireActor(deps, headers);
    const header = await getListHeader(store.db, listId);
    requireAllowed(actor, action, { region_code: header.region_code });
    return actor;
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/responsibility/resolve',
      summary: '按权责清单确定责任主体 / Who owns a category in a region, by which list version',
      tags,
      query: ResolveQuery,
      response: ResolveResponse,
      handler: ({ query }) => resolveResponsibility({ db: store.db, rules }, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/responsibility/coverage',
      summary: '权责空白与交叉报告 / Gap and overlap report of a region',
      tags,
      query: CoverageQuery,
      response: CoverageResponse,
      handler: ({ query }) => coverageReport({ db: store.db, rules }, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/responsibility/lists',
      summary: "某地区的权责清单各版本 / Versions of a region's responsibility list",
      tags,
      query: ListsQuery,
      response: ListsResponse,
      handler: async ({ query }) => ({
        items: await listListHeaders(store.db, (await getRegion(store.db, query.region)).code),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/responsibility/lists/:id',
      summary: '权责清单（某一版本）/ One version of a list with its entries',
      tags,
      params: ListParams,
      response: ListSchema,
      handler: ({ params }) => readList(store.db, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/responsibility/lists',
      summary: '新建草稿（复制最新发布版）/ Open a draft from the latest published version',
      tags,
      body: DraftBody,
      status: 201,
      response: ListHeaderSchema,
      handler: async ({ body, headers }) => {
        const actor = await requireActor(deps, headers);
        const region = await getRegion(store.db, body.region);
        requireAllowed(actor, 'responsibility.edit', { region_code: region.code });
        return draftList({ store, clock: deps.clock, actor }, body);
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/responsibility/lists/:id/content',
      summary: '保存草稿内容 / Replace the content of a draft',
      tags,
      params: ListParams,
      body: ListContentSchema,
      response: ListSchema,
      handler: async ({ params, body, headers }) => {
        const actor = await editor(headers, params.id, 'responsibility.edit');
        await saveDraft({ store, clock: deps.clock, actor }, params.id, body);
        return readList(store.db, params.id);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/responsibility/export',
      summary: "导出权责清单（CSV 或 JSON）/ Export a region's list as CSV or JSON",
      tags,
      query: ExportQuery,
      response: z.string(),
      contentType: 'text/csv; charset=utf-8',
      contentTypeOf: (query) =>
        query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      handler: ({ query }) => exportList(store.db, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/responsibility/import',
      summary: "导入权责清单到草稿 / Import a CSV or JSON file into the region's draft",
      tags,
      body: ImportBody,
      response: ImportResponse,
      handler: async ({ body, headers }) => {
        const actor = await requireActor(deps, headers);
        requireAllowed(actor, 'responsibility.edit', {
          region_code: (await getRegion(store.db, body.region)).code,
        });
        return importList({ store, clock: deps.clock, actor }, body);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/responsibility/lists/:id/validate',
      summary: '校验草稿 / What stands between a draft and publication',
      tags,
      params: ListParams,
      response: ProblemsResponse,
      handler: async ({ params }) => ({ problems: await validateList(store.db, params.id) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/responsibility/lists/:id/publish',
      summary: '发布 / Publish a valid draft as the next version',
      tags,
      params: ListParams,
      response: ListHeaderSchema,
      handler: async ({ params, headers }) => {
        const actor = await editor(headers, params.id, 'responsibility.publish');
        return publishList({ store, clock: deps.clock, actor }, params.id);
      },
    }),
  ];
}
