import { CaseListQuery } from '../../api/cases.ts';
import { exportCases } from '../../cases/export-cases.ts';
import { DomainError } from '../../core/errors.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor } from '../auth.ts';
import { describeIssues } from '../errors.ts';
import { defineRawRoute, type RawRoute } from '../route.ts';

/** The worklist's filters; the export takes every matching case, so no page. */
export const CaseExportQuery = CaseListQuery.omit({ limit: true, cursor: true, offset: true });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** GET /api/v1/cases/export.xlsx: the filtered worklist as an Excel workbook (export-cases.ts). */
export function caseExportRoute(deps: AppDeps): RawRoute {
  const summary = '导出事件列表（Excel）/ The filtered case list as an Excel workbook';
  return defineRawRoute({
    method: 'GET',
    url: '/api/v1/cases/export.xlsx',
    summary,
    tags: ['cases'],
    query: CaseExportQuery,
    responses: { '200': { description: summary, content: { [XLSX]: 'binary' } } },
    async handle(request, reply) {
      const actor = await requireActor(deps, request.headers);
      const query = CaseExportQuery.safeParse(request.query);
      if (!query.success) {
        const { issues, list } = describeIssues(query.error);
        throw new DomainError('request.invalid', { issues: `querystring: ${issues}`, fields: list });
      }
      const { store, clock } = deps;
      const { workbook } = await exportCases(
        { db: store.db, traits: store.traits, keyring: store.keyring, clock },
        actor,
        query.data,
      );
      const day = clock.now().toISOString().slice(0, 10);
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="shanzhi-cases-${day}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(workbook);
    },
  });
}
