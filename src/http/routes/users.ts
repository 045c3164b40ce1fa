import { createUser } from '../../accounts/create-user.ts';
import { listUsers } from '../../accounts/list-users.ts';
import { CreateUserBody, User, UserListQuery, UserListResponse } from '../../api/accounts.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

/** Account administration: administrators only, within their own region subtree. */
export function userRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/users',
      summary: '用户列表（管理员）/ Users in the administrator’s scope',
      tags: ['users'],
      query: UserListQuery,
      response: UserListResponse,
      handler: async ({ query, headers }) => {
        const actor = await requireActor(deps, headers);
        return { items: await listUsers({ db: store.db, actor }, query) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users',
      summary: '创建用户（管理员，记入审计日志）/ Create a user (audited)',
      tags: ['users'],
      body: CreateUserBody,
      status: 201,
      response: User,
      handler: async ({ body, headers }) => {
        const actor = await requireActor(deps, headers);
        return store.db.transaction().execute((tx) => createUser({ db: tx, clock, actor }, body));
      },
    }),
  ];
}
