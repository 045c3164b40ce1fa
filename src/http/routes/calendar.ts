import {
  DeadlineQuery,
  DeadlineResponse,
  HolidayYearBody,
  HolidayYearsResponse,
  LoadedYearResponse,
  WorkPeriodsBody,
  WorkPeriodsInForce,
  WorkPeriodsQuery,
  WorkPeriodsResponse,
} from '../../api/calendar.ts';
import { getCalendar } from '../../calendar/get-calendar.ts';
import { listHolidayYearSummaries } from '../../calendar/list-holiday-years.ts';
import { loadHolidayYear } from '../../calendar/load-holiday-year.ts';
import { setWorkPeriods } from '../../calendar/set-work-periods.ts';
import { assertMayEditNationalCalendar } from '../../core/access/national.ts';
import { addDuration } from '../../core/calendar/deadlines.ts';
import { formatCst } from '../../core/calendar/definition.ts';
import { getRegion } from '../../regions/find-regions.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor, requireAllowed } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

const tags = ['calendar'];

/**
 * Reading the calendar is public. Writing it is audited: holiday years (national) need an
 * administrator with a province scope; a region's work periods need calendar.edit over it.
 */
export function calendarRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/calendar/deadline',
      summary: '按工作时间日历计算期限 / A deadline on the working-time calendar',
      tags,
      query: DeadlineQuery,
      response: DeadlineResponse,
      handler: async ({ query }) => {
        const { calendar, region } = await getCalendar(store.db, query.region);
        const start = new Date(query.start);
        const deadline = addDuration(calendar, start, query.amount, query.unit);
        return {
          deadline: formatCst(deadline),
          unit: query.unit,
          amount: query.amount,
          start: formatCst(start),
          region,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/calendar/years',
      summary: '已有节假日安排的年份 / Years with a holiday arrangement, loaded or shipped',
      tags,
      response: HolidayYearsResponse,
      handler: async () => ({ items: await listHolidayYearSummaries(store.db) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/calendar/years',
      summary: '载入或替换某年节假日与调休安排 / Load or replace a year of holidays (audited)',
      tags,
      body: HolidayYearBody,
      response: LoadedYearResponse,
      handler: async ({ body, headers }) => {
        const actor = await requireActor(deps, headers);
        assertMayEditNationalCalendar(actor);
        return loadHolidayYear({ db: store.db, clock, actor }, body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/calendar/work-periods',
      summary: '区划现行工作时段 / The work periods in force in a region, and where they come from',
      tags,
      query: WorkPeriodsQuery,
      response: WorkPeriodsInForce,
      handler: async ({ query }) => {
        const { region, periods, periods_from } = await getCalendar(store.db, query.region);
        return { region: region!, periods, periods_from };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/calendar/work-periods',
      summary: '设置区划工作时段 / Set or clear the work periods of a region (audited)',
      tags,
      body: WorkPeriodsBody,
      response: WorkPeriodsResponse,
      handler: async ({ body, headers }) => {
        const actor = await requireActor(deps, headers);
        const region = await getRegion(store.db, body.region);
        requireAllowed(actor, 'calendar.edit', { region_code: region.code });
        return setWorkPeriods({ db: store.db, clock, actor }, region.code, body.periods);
      },
    }),
  ];
}
