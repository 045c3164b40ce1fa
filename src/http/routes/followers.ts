import {
  AreaBody,
  AreaResponse,
  Confirmed,
  FollowBody,
  FollowParams,
  FollowResponse,
  FollowView,
  MailSettings,
  MailSettingsBody,
  MySubscriptions,
  Ok,
  SubscriptionParams,
  TokenBody,
  Unsubscribed,
} from '../../api/followers.ts';
import { askToFollowCase } from '../../followers/ask-to-follow-case.ts';
import { confirmByLink } from '../../followers/confirm-by-link.ts';
import { followCase } from '../../followers/follow-case.ts';
import { listMySubscriptions, removeAreaSubscription } from '../../followers/my-subscriptions.ts';
import { subscribeArea } from '../../followers/subscribe-area.ts';
import { unfollowCase } from '../../followers/unfollow-case.ts';
import { unsubscribeByLink } from '../../followers/unsubscribe-by-link.ts';
import { updateMailSettings } from '../../mail/account-email.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../core/errors.ts';
import { describeError, type Message } from '../../i18n/messages.ts';
import type { AppDeps } from '../deps.ts';
import { HTTP_STATUS } from '../errors.ts';
import { optionalActor, requireActor } from '../auth.ts';
import { defineRawRoute, defineRoute, type AnyRoute, type RawRoute, type RouteGroup } from '../route.ts';
import { escapeHtml } from '../../core/html.ts';

const tags = ['subscriptions'];

/** Following cases, area subscriptions, confirm and unsubscribe links, an account's address (docs/mail.md). */
export function followerRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases/:id/followers',
      summary:
        '关注事件 / Follow a case: the signed-in account at once, or any address after confirming by mail',
      tags,
      params: FollowParams,
      body: FollowBody,
      response: FollowResponse,
      statusOf: (r) => ('requested' in r ? 202 : 200),
      handler: async ({ params, body, headers }) => {
        if (body?.email !== undefined)
          return askToFollowCase({ store, clock }, params.id, { email: body.email, digest: body.digest });
        return followCase({ store, clock }, await requireActor(deps, headers), params.id, {
          digest: body?.digest,
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/cases/:id/followers',
      summary: '取消关注 / The signed-in account stops following a case',
      tags,
      params: FollowParams,
      response: FollowView,
      handler: async ({ params, headers }) =>
        unfollowCase({ store, clock }, await requireActor(deps, headers), params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/subscriptions/areas',
      summary: '订阅区域新事件 / Alerts for new cases in a region or within a radius of a point',
      tags,
      body: AreaBody,
      response: AreaResponse,
      statusOf: (r) => ('requested' in r ? 202 : 201),
      handler: async ({ body, headers }) =>
        subscribeArea({ store, clock }, await optionalActor(deps, headers), body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/subscriptions/areas/:id',
      summary: '取消区域订阅 / The signed-in account ends an area subscription',
      tags,
      params: SubscriptionParams,
      response: Ok,
      handler: async ({ params, headers }) => {
        await removeAreaSubscription({ store, clock }, await requireActor(deps, headers), params.id);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/subscriptions',
      summary: '我的关注与订阅 / What the signed-in account follows',
      tags,
      response: MySubscriptions,
      handler: async ({ headers }) =>
        listMySubscriptions({ store, clock }, await requireActor(deps, headers)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/subscriptions/confirm',
      summary:
        '确认订阅 / Confirm a subscription or an address with the token of the mailed link (works once)',
      tags,
      body: TokenBody,
      response: Confirmed,
      handler: async ({ body }) => confirmByLink({ store, clock }, body.token),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/subscriptions/unsubscribe',
      summary: '退订 / Unsubscribe with the token of the link in any subscription mail',
      tags,
      body: TokenBody,
      response: Unsubscribed,
      handler: async ({ body }) => unsubscribeByLink({ store, clock }, body.token),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/session/mail',
      summary: '我的邮件设置 / The signed-in account’s address (confirmed by mail) and queue digest',
      tags,
      body: MailSettingsBody,
      response: MailSettings,
      handler: async ({ body, headers }) =>
        updateMailSettings({ store, clock }, await requireActor(deps, headers), body),
    }),
  ];
}

/** The mail pages' only style: allowed by its hash in the CSP (src/http/security.ts). */
export const MAIL_PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.6}button{font-size:1rem;padding:.5rem 1.5rem}';

function page(title: Message, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title.zh)} / ${escapeHtml(title.en)} · 善治 Shanzhi</title>
<style>${MAIL_PAGE_STYLE}</style></head>
<body><h1>${escapeHtml(title.zh)}<br><small>${escapeHtml(title.en)}</small></h1>${body}</body></html>`;
}

const PAGES = {
  confirm: { zh: '确认订阅', en: 'Confirm your subscription' },
  unsubscribe: { zh: '退订', en: 'Unsubscribe' },
  confirmed: { zh: '已确认', en: 'Confirmed' },
  unsubscribed: {
    zh: '已退订，您不会再收到这类邮件',
    en: 'Unsubscribed: you will get no more of these mails',
  },
  failed: { zh: '未能完成', en: 'Not done' },
} satisfies Record<string, Message>;

/** A page with one button: mail scanners open links (GET), only people press buttons (POST). */
function buttonPage(kind: 'confirm' | 'unsubscribe', token: string): string {
  const action = `/mail/${kind}?token=${encodeURIComponent(token)}`;
  return page(
    PAGES[kind],
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">${escapeHtml(PAGES[kind].zh)} / ${escapeHtml(PAGES[kind].en)}</button></form>`,
  );
}

function resultPage(reply: FastifyReply, work: Promise<unknown>, done: Message): Promise<FastifyReply> {
  return work.then(
    () => reply.type('text/html; charset=utf-8').send(page(done, '')),
    (error: unknown) => {
      if (!isDomainError(error)) throw error;
      const { zh, en } = describeError(error.code, error.details);
      return reply
        .code(HTTP_STATUS[error.code])
        .type('text/html; charset=utf-8')
        .send(page(PAGES.failed, `<p>${escapeHtml(zh)}</p><p lang="en">${escapeHtml(en)}</p>`));
    },
  );
}

/**
 * The pages the links in mails open (`/mail/confirm`, `/mail/unsubscribe`), plain HTML with no
 * script. POST /mail/unsubscribe is also the RFC 8058 one-click target of List-Unsubscribe: the
 * token is in the URL, the body (`List-Unsubscribe=One-Click`) only says who is asking.
 */
export function mailPages(deps: AppDeps): RouteGroup {
  const { store, clock } = deps;
  type Req = FastifyRequest<{ Querystring: { token?: string }; Body: { token?: string } | undefined }>;
  const tokenOf = (request: FastifyRequest) =>
    String((request as Req).query.token ?? (request as Req).body?.token ?? '');
  const page = (method: 'GET' | 'POST', url: string, handle: RawRoute['handle']) =>
    defineRawRoute({
      method,
      url,
      summary: 'mail link page',
      tags: ['mail'],
      responses: {},
      undocumented: true,
      handle,
    });
  return {
    async prepare(scope) {
      if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
        scope.addContentTypeParser(
          'application/x-www-form-urlencoded',
          { parseAs: 'string' },
          (_r, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
        );
      }
    },
    routes: [
      ...(['confirm', 'unsubscribe'] as const).map((kind) =>
        page('GET', `/mail/${kind}`, async (request, reply) =>
          reply.type('text/html; charset=utf-8').send(buttonPage(kind, tokenOf(request))),
        ),
      ),
      page('POST', '/mail/confirm', async (request, reply) =>
        resultPage(reply, confirmByLink({ store, clock }, tokenOf(request)), PAGES.confirmed),
      ),
      page('POST', '/mail/unsubscribe', async (request, reply) =>
        resultPage(reply, unsubscribeByLink({ store, clock }, tokenOf(request)), PAGES.unsubscribed),
      ),
    ],
  };
}
