import {
  RegionChildrenResponse,
  RegionParams,
  RegionResponse,
  RegionSearchQuery,
  RegionSearchResponse,
} from '../../api/regions.ts';
import { getRegion, listChildren, searchRegions } from '../../regions/find-regions.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

export function regionRoutes({ store }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/regions',
      summary: '按名称搜索行政区划 / Search regions by Chinese name',
      tags: ['regions'],
      query: RegionSearchQuery,
      response: RegionSearchResponse,
      handler: async ({ query }) => ({ items: await searchRegions(store.db, store.traits, query) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/regions/:code',
      summary: '行政区划及其上级路径 / A region with its path from the province',
      tags: ['regions'],
      params: RegionParams,
      response: RegionResponse,
      handler: ({ params }) => getRegion(store.db, params.code),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/regions/:code/children',
      summary: '下级行政区划 / Children of a region',
      tags: ['regions'],
      params: RegionParams,
      response: RegionChildrenResponse,
      handler: async ({ params }) => ({
        parent: await getRegion(store.db, params.code),
        children: await listChildren(store.db, params.code),
      }),
    }),
  ];
}
