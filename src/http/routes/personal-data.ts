import { Erasure, MyPersonalData, ReportedCaseData, ReporterKeyBody } from '../../api/personal-data.ts';
import { PublicCaseParams } from '../../api/public-cases.ts';
import { eraseMyData, eraseReportData } from '../../personal/erase-personal-data.ts';
import { exportMyData, exportReportData } from '../../personal/export-personal-data.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

const tags = ['personal data'];

/** A person's own data: download and erasure, signed in or by a report's key (docs/personal-data.md). */
export function personalDataRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/me/personal-data',
      summary: '下载我的个人信息 / Download everything the platform holds about me',
      tags,
      response: MyPersonalData,
      handler: async ({ headers }) => exportMyData({ store, clock }, await requireActor(deps, headers)),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/me/personal-data',
      summary:
        '删除我的个人信息并注销账号（事件保留并匿名化）/ Erase my personal data and my account (the cases stay, anonymised)',
      tags,
      response: Erasure,
      handler: async ({ headers }) => eraseMyData({ store, clock }, await requireActor(deps, headers)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/public/cases/:reference/personal-data',
      summary:
        '凭上报密钥下载上报时留下的个人信息 / The personal data given with a report, for the holder of its key',
      tags,
      params: PublicCaseParams,
      body: ReporterKeyBody,
      response: ReportedCaseData,
      handler: ({ params, body }) => exportReportData({ store, clock }, params.reference, body.reporter_key),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/public/cases/:reference/personal-data/erase',
      summary:
        '凭上报密钥删除上报时留下的个人信息 / Erase the personal data given with a report (the case stays, anonymised)',
      tags,
      params: PublicCaseParams,
      body: ReporterKeyBody,
      response: Erasure,
      handler: ({ params, body }) => eraseReportData({ store, clock }, params.reference, body.reporter_key),
    }),
  ];
}
