import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  Open311Common,
  Open311RequestForm,
  Open311RequestsQuery,
  Open311UpdateForm,
  Open311UpdatesQuery,
} from '../../api/open311.ts';
import type { BlobStorage } from '../../attachments/blob-storage.ts';
import { DEFAULT_ATTACHMENT_LIMITS } from '../../core/attachments/limits.ts';
import { specAttribute } from '../../core/open311/attributes.ts';
import { discovery } from '../../open311/discovery.ts';
import { findToken } from '../../open311/find-token.ts';
import { getServiceDefinition } from '../../open311/get-service-definition.ts';
import {
  findSandboxToken,
  getSandboxRequest,
  listSandboxRequests,
} from '../../open311/list-sandbox-requests.ts';
import { getRequest, listRequests } from '../../open311/list-requests.ts';
import { listServices } from '../../open311/list-services.ts';
import { listUpdates } from '../../open311/list-updates.ts';
import { postUpdate } from '../../open311/post-update.ts';
import { submitSandboxRequest } from '../../open311/submit-sandbox-request.ts';
import { submitRequest } from '../../open311/submit-request.ts';
import type { AppDeps } from '../deps.ts';
import { defineRawRoute, type RawRoute, type RouteGroup } from '../route.ts';
import { formFields, textParams } from './open311-form.ts';
import { FORMATS, mediaOf, notFound, prepareScope, send, splitFile } from './open311-wire.ts';

export const OPEN311_BASE = '/open311/v2';
/** The test endpoint (sandbox): the same methods, requests checked alike and never handled. */
export const OPEN311_TEST_BASE = '/open311/test/v2';

export type Open311Endpoint = 'production' | 'test';

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

const DOCUMENT = z.unknown().meta({ description: 'GeoReport v2 (docs/open311.md)' });
const ANSWER = { 'application/json': DOCUMENT, 'text/xml': z.string() } as const;
const ERRORS = z
  .array(z.object({ code: z.number().int(), description: z.string() }))
  .meta({ description: 'GeoReport v2 errors; XML: <errors><error>…' });
const ERROR_ANSWER = { 'application/json': ERRORS, 'text/xml': z.string() } as const;

/**
 * The Open311 GeoReport v2 server (docs/open311.md), with mySociety's servicerequestupdates in
 * production. Every method answers JSON or XML by its suffix; POST bodies are form-encoded or
 * multipart (parsers of this group only). The test endpoint answers the same methods from its own
 * table (src/open311/list-sandbox-requests.ts) and offers no servicerequestupdates: there is no
 * workflow behind it. Thin: each handler calls one use case from src/open311/.
 */
export function open311Routes(
  deps: AppDeps & { storage: BlobStorage },
  endpoint: Open311Endpoint,
): RouteGroup {
  const { store, clock, locator } = deps;
  const test = endpoint === 'test';
  const limits = { ...DEFAULT_ATTACHMENT_LIMITS, ...deps.attachmentLimits };
  const tags = [test ? 'open311-test' : 'open311'];
  const route = (
    method: 'GET' | 'POST',
    url: string,
    summary: string,
    handle: RawRoute['handle'],
    extra: Pick<RawRoute, 'query' | 'params' | 'bodies'> = {},
  ) =>
    defineRawRoute({
      method,
      url,
      summary: test ? `测试端点 / Test endpoint: ${summary}` : summary,
      tags,
      ...extra,
      responses: {
        '200': { description: summary, content: ANSWER },
        '4XX': {
          description: '请求错误 / client error (403 key, 404 not found, 429 rate, 400 other)',
          content: ERROR_ANSWER,
        },
        '5XX': { description: '服务器错误 / server error', content: ERROR_ANSWER },
      },
      handle,
    });
  const readOne = async (id: string, request: FastifyRequest) => {
    const q = Open311Common.parse(textParams(request.query));
    if (test) return getSandboxRequest(store.db, id);
    return getRequest({ db: store.db, clock, origin: origin(request) }, id, q.jurisdiction_id);
  };
  const fileRoute = (
    url: string,
    summary: string,
    answer: (name: string, request: FastifyRequest) => Promise<[string, unknown]>,
  ) =>
    route(
      'GET',
      url,
      summary,
      async (request, reply) => {
        const parts = splitFile((request.params as { file: string }).file);
        if (!parts) return notFound(request, reply);
        const [root, value] = await answer(parts[0], request);
        return send(reply, parts[1], root, value);
      },
      { params: z.object({ file: z.string() }), query: Open311Common },
    );

  const routes: RawRoute[] = [];
  for (const format of FORMATS) {
    routes.push(
      route('GET', `/discovery.${format}`, '接口发现 / Discovery', async (request, reply) => {
        const here = origin(request);
        const urls = { production: `${here}${OPEN311_BASE}`, test: `${here}${OPEN311_TEST_BASE}` };
        return send(reply, format, 'discovery', discovery(urls));
      }),
      route(
        'GET',
        `/services.${format}`,
        '服务目录 / Services',
        async (request, reply) => {
          const q = Open311Common.parse(textParams(request.query));
          return send(reply, format, 'services', await listServices(store.db, q.jurisdiction_id));
        },
        { query: Open311Common },
      ),
      route(
        'GET',
        `/requests.${format}`,
        '诉求列表 / Requests',
        async (request, reply) => {
          const q = Open311RequestsQuery.parse(textParams(request.query));
          const requests = test
            ? await listSandboxRequests({ db: store.db, clock }, q)
            : await listRequests({ db: store.db, clock, origin: origin(request) }, q);
          return send(reply, format, 'service_requests', requests);
        },
        { query: Open311RequestsQuery },
      ),
      route(
        'POST',
        `/requests.${format}`,
        '提交诉求 / Submit a request',
        async (request, reply) => {
          const { fields, attributes } = formFields(request.body, request.query);
          const input = { ...Open311RequestForm.parse(fields), attributes, media: mediaOf(request.body) };
          const submitted = test
            ? await submitSandboxRequest({ store, clock, locator, attachmentLimits: limits }, input)
            : await submitRequest(
                {
                  store,
                  clock,
                  locator,
                  duplicates: deps.duplicates,
                  calendars: deps.calendars,
                  counts: deps.counts,
                  storage: deps.storage,
                  attachmentLimits: limits,
                },
                input,
              );
          return send(reply, format, 'service_requests', [submitted]);
        },
        {
          bodies: {
            'application/x-www-form-urlencoded': Open311RequestForm,
            'multipart/form-data': Open311RequestForm.extend({
              media: z.string().meta({ format: 'binary' }).optional(),
            }),
          },
        },
      ),
    );
    if (test) continue;
    routes.push(
      route(
        'GET',
        `/servicerequestupdates.${format}`,
        '状态更新 / Request updates',
        async (request, reply) => {
          const q = Open311UpdatesQuery.parse(textParams(request.query));
          const updates = await listUpdates({ db: store.db, clock, origin: origin(request) }, q);
          return send(reply, format, 'service_requests_updates', updates);
        },
        { query: Open311UpdatesQuery },
      ),
      route(
        'POST',
        `/servicerequestupdates.${format}`,
        '提交状态更新 / Post a request update',
        async (request, reply) => {
          const { fields } = formFields(request.body, request.query);
          const posted = await postUpdate(
            { store, clock, rules: deps.rules, counts: deps.counts },
            Open311UpdateForm.parse(fields),
          );
          const answer = { update_id: posted.update_id, account_id: posted.account_id };
          return send(reply, format, 'service_request_updates', [answer]);
        },
        { bodies: { 'application/x-www-form-urlencoded': Open311UpdateForm } },
      ),
    );
  }
  routes.push(
    fileRoute('/services/:file', '服务定义 / Service definition', async (code, request) => {
      const q = Open311Common.parse(textParams(request.query));
      const definition = await getServiceDefinition(store.db, code, q.jurisdiction_id);
      const body = {
        service_code: definition.service_code,
        attributes: definition.attributes.map(specAttribute),
      };
      return ['service_definition', body];
    }),
    fileRoute('/requests/:file', '一条诉求 / One request', async (id, request) => [
      'service_requests',
      [await readOne(id, request)],
    ]),
    fileRoute('/tokens/:file', '凭令牌查编号 / Request id of a token', async (token) => [
      'service_requests',
      [test ? await findSandboxToken(store.db, token) : await findToken(store.db, token)],
    ]),
  );
  return {
    prefix: test ? OPEN311_TEST_BASE : OPEN311_BASE,
    prepare: (scope) => prepareScope(scope, limits.maxBytes),
    routes,
  };
}
