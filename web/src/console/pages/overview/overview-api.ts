import type { FeatureCollection } from 'geojson';
import type { z } from 'zod';
import type { GridCollectionResponse, GridResponse } from '../../../../../src/api/grids.ts';
import type { RegionResponse } from '../../../../../src/api/regions.ts';
import type {
  IndicatorCasesResponse,
  OverviewCasesQuery,
  OverviewCasesResponse,
  OverviewResponse,
} from '../../../../../src/api/indicators.ts';
import { call } from '../../../http.ts';

// The server's own schemas (src/api/indicators.ts): the overview and the API cannot drift apart.
export type OverviewData = z.infer<typeof OverviewResponse>;
export type OverviewCases = z.infer<typeof OverviewCasesResponse>;
export type OverviewCase = OverviewCases['items'][number];
export type IndicatorCases = z.infer<typeof IndicatorCasesResponse>;
export type Measure = z.infer<typeof OverviewCasesQuery>['measure'];
export type Region = z.infer<typeof RegionResponse>;
export type Grid = z.infer<typeof GridResponse>;
export type GridCollection = z.infer<typeof GridCollectionResponse> & FeatureCollection;

const search = (params: Record<string, string | undefined>): string => {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') out.set(key, value);
  return out.toString();
};

/** `no-cache`: the browser revalidates, so a wall screen that refreshes sees every change. */
const fresh: RequestInit = { cache: 'no-cache' };

export const overviewApi = {
  overview: (params: Record<string, string | undefined>) =>
    call<OverviewData>(`/api/v1/indicators/overview?${search(params)}`, fresh),
  cases: (params: Record<string, string | undefined>) =>
    call<OverviewCases>(`/api/v1/indicators/overview/cases?${search(params)}`, fresh),
  indicatorCases: (params: Record<string, string | undefined>) =>
    call<IndicatorCases>(`/api/v1/indicators/cases?${search(params)}`, fresh),
  region: (code: string) => call<Region>(`/api/v1/regions/${encodeURIComponent(code)}`),
  grid: (code: string) => call<Grid>(`/api/v1/grids/${encodeURIComponent(code)}`),
  /** The grids' GeoJSON does not change with the cases: the browser's cache may keep it. */
  grids: (within: string) => call<GridCollection>(`/api/v1/grids?within=${encodeURIComponent(within)}`),
};
