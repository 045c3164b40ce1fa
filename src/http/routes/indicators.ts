import {
  IndicatorCasesQuery,
  IndicatorCasesResponse,
  IndicatorsQuery,
  IndicatorsResponse,
  OverviewCasesQuery,
  OverviewCasesResponse,
  OverviewQuery,
  OverviewResponse,
} from '../../api/indicators.ts';
import { getIndicators, listIndicatorCases } from '../../indicators/get-indicators.ts';
import { getOverview } from '../../indicators/get-overview.ts';
import { listOverviewCases } from '../../indicators/list-overview-cases.ts';
import { getRegion } from '../../regions/find-regions.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor, requireAllowed } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

const tags = ['indicators'];

/**
 * Indicators need indicators.read over the region (analysts, centres, handlers in their scope):
 * aggregates of a small community or grid can point at individual residents' reports, and the
 * drill-down names cases.
 */
export function indicatorRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock } = deps;
  const reader = async (headers: Parameters<typeof requireActor>[1], region: string): Promise<void> => {
    const actor = await requireActor(deps, headers);
    requireAllowed(actor, 'indicators.read', { region_code: (await getRegion(store.db, region)).code });
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/indicators',
      summary: '区划子树在一段时间内的考核指标 / Indicators of a region subtree over a period',
      tags,
      query: IndicatorsQuery,
      response: IndicatorsResponse,
      handler: async ({ query, headers }) => {
        await reader(headers, query.region);
        return getIndicators(store.db, { ...query, minSample: query.min_sample });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/indicators/cases',
      summary: '某项基础计数背后的案件 / The cases behind one base count',
      tags,
      query: IndicatorCasesQuery,
      response: IndicatorCasesResponse,
      handler: async ({ query, headers }) => {
        await reader(headers, query.region);
        return listIndicatorCases(store.db, query);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/indicators/overview',
      summary:
        '指挥中心总览：未结、超期、趋势、构成、网格与部门 / Command-centre overview: open, overdue, trend, mix, grids, departments',
      tags,
      query: OverviewQuery,
      response: OverviewResponse,
      handler: async ({ query, headers }) => {
        await reader(headers, query.region);
        return getOverview(store.db, { ...query, minSample: query.min_sample }, clock.now());
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/indicators/overview/cases',
      summary: '总览中某个数字背后的案件 / The cases behind one number of the overview',
      tags,
      query: OverviewCasesQuery,
      response: OverviewCasesResponse,
      handler: async ({ query, headers }) => {
        await reader(headers, query.region);
        return listOverviewCases(store.db, query, clock.now());
      },
    }),
  ];
}
