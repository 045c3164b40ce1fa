import {
  CaseDuplicatesResponse,
  CaseIdParams,
  CaseIntakeBody,
  CaseIntakeResponse,
} from '../../api/case-intake.ts';
import { reportCase } from '../../cases/report-case.ts';
import { listDuplicatesOf } from '../../cases/suggest-duplicates.ts';
import type { AppDeps } from '../deps.ts';
import { optionalActor, requireActor } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

export function caseIntakeRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock, locator } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases',
      summary: '上报事件（各渠道统一受理）/ Report a case from any channel',
      tags: ['cases'],
      body: CaseIntakeBody,
      status: 201,
      statusOf: (result) => (result.created ? 201 : 200),
      response: CaseIntakeResponse,
      handler: async ({ body, headers }) => {
        const actor = await optionalActor(deps, headers);
        const header = headers['idempotency-key'];
        const reported = await reportCase(
          {
            store,
            clock,
            locator,
            actor,
            duplicates: deps.duplicates,
            calendars: deps.calendars,
            counts: deps.counts,
          },
          {
            ...body,
            location: body.location ?? {},
            idempotency_key: body.idempotency_key ?? (typeof header === 'string' ? header : undefined),
          },
        );
        const { stage, category_code, ...rest } = reported;
        return { ...rest, status: stage, category: category_code };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/:id/duplicates',
      summary: '疑似重复事件 / Open cases that may be the same report',
      tags: ['cases'],
      params: CaseIdParams,
      response: CaseDuplicatesResponse,
      handler: async ({ params, headers }) => {
        const actor = await requireActor(deps, headers);
        const duplicates = await listDuplicatesOf(
          { db: store.db, locator, actor, settings: deps.duplicates },
          params.id,
        );
        return { duplicates };
      },
    }),
  ];
}
