import { CaseActionBody, CaseListQuery, CaseListResponse, CaseParams, CaseView } from '../../api/cases.ts';
import { actOnCase } from '../../cases/act-on-case.ts';
import { assertCaseReadable, getCase } from '../../cases/get-case.ts';
import { listCases } from '../../cases/list-cases.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

const tags = ['cases'];

/** Reading and moving cases (docs/workflow.md); intake (POST /api/v1/cases) is case-intake.ts. */
export function caseRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock, rules } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases',
      summary: '事件列表 / Cases the caller may read, newest first, filtered and paginated',
      tags,
      query: CaseListQuery,
      response: CaseListResponse,
      etag: true,
      handler: async ({ query, headers }) =>
        listCases(
          { db: store.db, traits: store.traits, keyring: store.keyring, clock },
          await requireActor(deps, headers),
          query,
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/:id',
      summary: '事件详情 / A case with its stage, deadlines, assignees, timeline and allowed actions',
      tags,
      params: CaseParams,
      response: CaseView,
      handler: async ({ params, headers }) =>
        getCase({ ...store, clock }, await requireActor(deps, headers), params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases/:id/actions',
      summary: '办理一步 / Perform one workflow step; answers the updated case',
      tags,
      params: CaseParams,
      body: CaseActionBody,
      response: CaseView,
      handler: async ({ params, body, headers }) => {
        const actor = await requireActor(deps, headers);
        await assertCaseReadable(store, actor, params.id);
        await actOnCase({ store, clock, rules, counts: deps.counts }, actor, params.id, body);
        return getCase({ ...store, clock }, actor, params.id);
      },
    }),
  ];
}
