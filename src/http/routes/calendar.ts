import { DeadlineQuery, DeadlineResponse } from '../../api/calendar.ts';
import { getCalendar } from '../../calendar/get-calendar.ts';
import { addDuration } from '../../core/calendar/deadlines.ts';
import { formatCst } from '../../core/calendar/definition.ts';
import type { AppDeps } from '../app.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

export function calendarRoutes({ store }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/calendar/deadline',
      summary: '按工作时间日历计算期限 / A deadline on the working-time calendar',
      tags: ['calendar'],
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
  ];
}
