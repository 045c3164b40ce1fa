import { getUserView, type UserView } from '../../accounts/users.ts';
import { logIn } from '../../accounts/log-in.ts';
import { logOut } from '../../accounts/log-out.ts';
import {
  CookieLogInResponse,
  LogInBody,
  LogInResponse,
  LogOutResponse,
  MeResponse,
} from '../../api/accounts.ts';
import { csrfTokenOf } from '../../accounts/sessions.ts';
import { allowedActions } from '../../core/access/permissions.ts';
import { DomainError } from '../../core/errors.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor, sessionOf } from '../auth.ts';
import { clearedSessionCookie, sessionCookie } from '../session-cookie.ts';
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
      method: 'POST',
      url: '/api/v1/session/cookie',
      summary:
        '控制台登录 / Log in for the staff console: the session in an HttpOnly, SameSite=Strict cookie, and its CSRF token',
      tags: ['session'],
      body: LogInBody,
      response: CookieLogInResponse,
      handler: async ({ body, setCookie, secure }) => {
        const { token, expires_at, user } = await logIn({ db: store.db, clock }, body);
        setCookie(sessionCookie(token, secure));
        return { expires_at, user: sessionUser(user), csrf_token: csrfTokenOf(token) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/session',
      summary: '退出登录 / Log out (revokes the bearer token or the session cookie, and clears the cookie)',
      tags: ['session'],
      response: LogOutResponse,
      handler: async ({ headers, setCookie, secure }) => {
        await requireActor(deps, headers);
        const session = sessionOf(headers)!;
        await logOut({ db: store.db, clock }, session.token);
        if (session.via === 'cookie') setCookie(clearedSessionCookie(secure));
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
        const session = sessionOf(headers);
        const user = await getUserView(store.db, actor.user_id);
        if (!user) throw new DomainError('auth.required');
        return {
          user: sessionUser(user),
          allowed_actions: allowedActions(actor, {
            region_code: actor.scope.code,
            department_id: actor.department_id,
          }),
          ...(session?.via === 'cookie' ? { csrf_token: csrfTokenOf(session.token) } : {}),
        };
      },
    }),
  ];
}
