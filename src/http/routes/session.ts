import { getUserView, type UserView } from '../../accounts/users.ts';
import { logIn } from '../../accounts/log-in.ts';
import { logOut } from '../../accounts/log-out.ts';
import { LogInBody, LogInResponse, LogOutResponse, MeResponse } from '../../api/accounts.ts';
import { allowedActions } from '../../core/access/permissions.ts';
import { DomainError } from '../../core/errors.ts';
import type { AppDeps } from '../deps.ts';
import { bearerToken, requireActor } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

const sessionUser = (u: UserView) => ({
  username: u.username,
  display_name: u.display_name,
  roles: u.roles,
  scope: u.scope,
  department_id: u.department_id,
});

export function sessionRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/session',
      summary: '登录 / Log in',
      tags: ['session'],
      body: LogInBody,
      response: LogInResponse,
      handler: async ({ body }) => {
        const { token, expires_at, user } = await logIn({ db: store.db, clock }, body);
        return { token, expires_at, user: sessionUser(user) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/session',
      summary: '退出登录 / Log out (revokes the bearer token)',
      tags: ['session'],
      response: LogOutResponse,
      handler: async ({ headers }) => {
        await requireActor(deps, headers);
        await logOut({ db: store.db, clock }, bearerToken(headers)!);
        return { logged_out: true as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/me',
      summary: '当前用户及其可执行的操作 / The caller and what it may do',
      tags: ['session'],
      response: MeResponse,
      handler: async ({ headers }) => {
        const actor = await requireActor(deps, headers);
        const user = await getUserView(store.db, actor.user_id);
        if (!user) throw new DomainError('auth.required');
        return {
          user: sessionUser(user),
          allowed_actions: allowedActions(actor, {
            region_code: actor.scope.code,
            department_id: actor.department_id,
          }),
        };
      },
    }),
  ];
}
