import {
  DepartmentSchema,
  DepartmentsQuery,
  DepartmentsResponse,
  NewDepartmentBody,
} from '../../api/responsibility.ts';
import { createDepartments, listDepartments } from '../../organisation/departments.ts';
import { getRegion } from '../../regions/find-regions.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor, requireAllowed } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

export function departmentRoutes(deps: AppDeps): AnyRoute[] {
  const { store } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/departments',
      summary: '部门与处置单位 / Departments and handling units of a region subtree',
      tags: ['organisation'],
      query: DepartmentsQuery,
      response: DepartmentsResponse,
      handler: async ({ query }) => ({ items: await listDepartments(store.db, query.region) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/departments',
      summary: '新增部门 / Add a department or handling unit',
      tags: ['organisation'],
      body: NewDepartmentBody,
      status: 201,
      response: DepartmentSchema,
      handler: async ({ body, headers }) => {
        const actor = await requireActor(deps, headers);
        requireAllowed(actor, 'department.edit', {
          region_code: (await getRegion(store.db, body.region)).code,
        });
        const [created] = await createDepartments({ db: store.db, clock: deps.clock, actor }, [body]);
        return created!;
      },
    }),
  ];
}
