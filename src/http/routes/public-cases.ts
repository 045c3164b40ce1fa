import {
  PublicCaseParams,
  PublicCaseView,
  PublicDuplicatesQuery,
  PublicDuplicatesResponse,
  VerdictBody,
  VerdictResponse,
} from '../../api/public-cases.ts';
import { findPublicDuplicates } from '../../cases/find-public-duplicates.ts';
import { getPublicCase } from '../../cases/get-public-case.ts';
import { giveVerdict } from '../../cases/reporter-verdict.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

const tags = ['public'];

/** What residents read and do without an account (docs/web.md): no route here needs a token. */
export function publicCaseRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock, rules, locator } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/public/cases/:reference',
      summary: '按编号查询事件（公开）/ A case by its reference number, as the public may see it',
      tags,
      params: PublicCaseParams,
      response: PublicCaseView,
      handler: ({ params }) => getPublicCase(store.db, params.reference),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/public/duplicates',
      summary: '附近同类未办结事件 / Open cases of the category near a point ("is it one of these?")',
      tags,
      query: PublicDuplicatesQuery,
      response: PublicDuplicatesResponse,
      handler: async ({ query }) => ({
        items: await findPublicDuplicates({ db: store.db, clock, locator, settings: deps.duplicates }, query),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/public/cases/:reference/verdict',
      summary: '上报人确认是否解决并评价 / The reporter says whether it is fixed and rates it',
      tags,
      params: PublicCaseParams,
      body: VerdictBody,
      response: VerdictResponse,
      handler: async ({ params, body }) => {
        const verdict = await giveVerdict(
          { store, clock, rules, counts: deps.counts },
          params.reference,
          body,
        );
        return { reopened: verdict.reopened, case: await getPublicCase(store.db, params.reference) };
      },
    }),
  ];
}
