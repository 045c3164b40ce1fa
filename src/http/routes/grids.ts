import {
  GridCollectionResponse,
  GridParams,
  GridResponse,
  GridsQuery,
  LocateQuery,
  LocateResponse,
} from '../../api/grids.ts';
import { getGrid } from '../../grids/get-grid.ts';
import { exportGrids } from '../../grids/export-grids.ts';
import { locatePoint } from '../../grids/locate-point.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

export function gridRoutes({ store, locator }: AppDeps): AnyRoute[] {
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
  ];
}
