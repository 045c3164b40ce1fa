import {
  GridCollectionResponse,
  GridImportBody,
  GridImportQuery,
  GridImportResponse,
  GridParams,
  GridResponse,
  GridsQuery,
  LocateQuery,
  LocateResponse,
} from '../../api/grids.ts';
import { getGrid } from '../../grids/get-grid.ts';
import { importGrids } from '../../grids/import-grids.ts';
import { exportGrids } from '../../grids/export-grids.ts';
import { locatePoint } from '../../grids/locate-point.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor, requireAllowed } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

/** The communities a grid file names: an import needs grid.edit over each of them. */
function communitiesOf(body: { features: unknown[] }): string[] {
  const codes = body.features.map(
    (f) => (f as { properties?: { community_code?: unknown } })?.properties?.community_code,
  );
  return [...new Set(codes.filter((c): c is string => typeof c === 'string' && /^\d{12}$/.test(c)))];
}

export function gridRoutes(deps: AppDeps): AnyRoute[] {
  const { store, locator } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/locate',
      summary: '坐标定位到网格与社区 / Locate a point: grid and region chain',
      tags: ['grids'],
      query: LocateQuery,
      response: LocateResponse,
      handler: ({ query }) => locatePoint({ db: store.db, locator }, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/grids',
      summary: '网格 GeoJSON 导出 / Grids as a GeoJSON FeatureCollection',
      tags: ['grids'],
      query: GridsQuery,
      response: GridCollectionResponse,
      contentType: 'application/geo+json',
      handler: ({ query }) => exportGrids(store.db, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/grids/:code',
      summary: '网格详情 / A grid with its community and grid workers',
      tags: ['grids'],
      params: GridParams,
      response: GridResponse,
      handler: ({ params }) => getGrid(store.db, params.code),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/grids/import',
      summary: '导入网格 GeoJSON（全部或全不）/ Import grids from GeoJSON, all or nothing',
      tags: ['grids'],
      query: GridImportQuery,
      body: GridImportBody,
      response: GridImportResponse,
      handler: async ({ query, body, headers }) => {
        const actor = await requireActor(deps, headers);
        requireAllowed(actor, 'grid.edit', { region_code: actor.scope.code });
        for (const region_code of communitiesOf(body)) requireAllowed(actor, 'grid.edit', { region_code });
        return importGrids({ store, clock: deps.clock }, body, { replace: query.replace === 'true' });
      },
    }),
  ];
}
