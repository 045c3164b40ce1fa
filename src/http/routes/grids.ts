import {
  GridCollectionResponse,
  GridImportBody,
  GridImportQuery,
  GridImportResponse,
  GridWorker,
  GridWorkerBody,
  GridWorkerEnded,
  GridWorkerParams,
  GridParams,
  GridResponse,
  GridsQuery,
  LocateQuery,
  LocateResponse,
} from '../../api/grids.ts';
import { assignGridWorker, endGridWorkerAssignment } from '../../grids/assign-grid-worker.ts';
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
  /** Workers of a grid are edited by those with grid.edit over its community. */
  const gridEditor = async (headers: Parameters<typeof requireActor>[1], code: string) => {
    const actor = await requireActor(deps, headers);
    const grid = await getGrid(store.db, code);
    requireAllowed(actor, 'grid.edit', { region_code: grid.community.code });
  };
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
    defineRoute({
      method: 'POST',
      url: '/api/v1/grids/:code/workers',
      summary: '安排网格员 / Put a grid worker on a grid',
      tags: ['grids'],
      params: GridParams,
      body: GridWorkerBody,
      status: 201,
      response: GridWorker,
      handler: async ({ params, body, headers }) => {
        await gridEditor(headers, params.code);
        return assignGridWorker({ db: store.db, clock: deps.clock }, { grid: params.code, ...body });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/grids/:code/workers/:ref',
      summary: '结束网格员的安排（保留历史）/ End a grid worker’s assignment, keeping the history',
      tags: ['grids'],
      params: GridWorkerParams,
      response: GridWorkerEnded,
      handler: async ({ params, headers }) => {
        await gridEditor(headers, params.code);
        await endGridWorkerAssignment(
          { db: store.db, clock: deps.clock },
          { grid: params.code, worker_ref: params.ref },
        );
        return { ended: true as const };
      },
    }),
  ];
}
