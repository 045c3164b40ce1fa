import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../core/errors.ts';
import {
  Open311Common,
  Open311RequestForm,
  Open311RequestsQuery,
  Open311UpdateForm,
  Open311UpdatesQuery,
  OPEN311_XML_ITEMS,
  type Open311Format,
} from '../../api/open311.ts';
import { toXml, type XmlValue } from '../../core/open311/xml.ts';
import { describeError } from '../../i18n/messages.ts';
import { discovery } from '../../open311/discovery.ts';
import { findToken } from '../../open311/find-token.ts';
import { getServiceDefinition } from '../../open311/get-service-definition.ts';
import { getRequest, listRequests } from '../../open311/list-requests.ts';
import { listServices } from '../../open311/list-services.ts';
import { listUpdates } from '../../open311/list-updates.ts';
import { postUpdate } from '../../open311/post-update.ts';
import { submitRequest } from '../../open311/submit-request.ts';
import { specAttribute } from '../../core/open311/attributes.ts';
import type { AppDeps } from '../deps.ts';
import { HTTP_STATUS } from '../errors.ts';
import { formFields, textParams } from './open311-form.ts';

export const OPEN311_BASE = '/open311/v2';
const FORMATS: readonly Open311Format[] = ['json', 'xml'];

function formatOf(url: string): Open311Format {
  return /\.xml(\?|$)/.test(url) ? 'xml' : 'json';
}

/** Sends one document in the format the URL asked for; `root` names the XML root element. */
function send(reply: FastifyReply, format: Open311Format, root: string, value: unknown): FastifyReply {
  if (format === 'xml') {
    return reply.type('text/xml; charset=utf-8').send(toXml(root, value as XmlValue, OPEN311_XML_ITEMS));
  }
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/** `code.json` → ['code', 'json']; anything but .json / .xml is no route. */
function splitFile(file: string): [string, Open311Format] | null {
  const dot = file.lastIndexOf('.');
  const format = file.slice(dot + 1);
  if (dot <= 0 || !(FORMATS as readonly string[]).includes(format)) return null;
  return [decodeURIComponent(file.slice(0, dot)), format as Open311Format];
}

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/**
 * GeoReport v2 status codes: 403 bad key, 404 unknown service, request, token or jurisdiction,
 * 429 rate limited; every other refusal 400 (the spec's "any other failure", 409 of a repeated
 * update included); 500 when we failed.
 * The body's code is the HTTP status, the description names our dotted code in both languages.
 */
function open311Error(error: FastifyError): { status: number; description: string } {
  if (isDomainError(error)) {
    // Our own Open311 refusals carry their status; intake's (a point outside every grid, a
    // category not seen in that region, …) are failures of the request: 400.
    const http = HTTP_STATUS[error.code];
    const status = http >= 500 ? 500 : error.code.startsWith('open311.') ? http : 400;
    const { zh, en } = describeError(error.code, error.details);
    return { status, description: `${zh} / ${en} (${error.code})` };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    const { zh, en } = describeError('request.invalid', { issues: error.message });
    return { status: 400, description: `${zh} / ${en} (request.invalid)` };
  }
  const { zh, en } = describeError('internal', {});
  return { status: 500, description: `${zh} / ${en}` };
}

/**
 * The Open311 GeoReport v2 server under /open311/v2/ (docs/open311.md), with mySociety's
 * servicerequestupdates. Every method answers JSON or XML by its suffix; POST bodies are
 * form-encoded or multipart (parsers registered for this prefix only). Thin: each handler calls one
 * use case from src/open311/.
 */
export async function open311Plugin(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, clock, locator } = deps;
  await app.register(formbody);
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fields: 200, fieldSize: 64 * 1024 },
    // Open311 takes media as a link (media_url); uploaded files are read and dropped.
    async onFile(part) {
      for await (const _ of part.file);
      (part as { value?: unknown }).value = undefined;
    },
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, description } = open311Error(error);
    if (status === 500) {
      request.log.error(
        { err: { type: error.name, message: error.message, stack: error.stack } },
        'open311 failed',
      );
    }
    if (isDomainError(error) && error.code === 'open311.rate_limited') {
      reply.header('retry-after', String(error.details.retry_after));
    }
    return send(reply.code(status), formatOf(request.url), 'errors', [{ code: status, description }]);
  });
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const { zh, en } = describeError('route.not_found', {
      method: request.method,
      url: request.url.split('?')[0],
    });
    return send(reply.code(404), formatOf(request.url), 'errors', [
      { code: 404, description: `${zh} / ${en} (route.not_found)` },
    ]);
  };
  app.setNotFoundHandler(notFound);
  // Unknown paths under the prefix answer in the spec's format, before the site's catch-all does.
  app.all('/*', notFound);

  for (const format of FORMATS) {
    app.get(`/discovery.${format}`, async (request, reply) =>
      send(reply, format, 'discovery', discovery(`${origin(request)}${OPEN311_BASE}`)),
    );
    app.get(`/services.${format}`, async (request, reply) => {
      const q = Open311Common.parse(textParams(request.query));
      return send(reply, format, 'services', await listServices(store.db, q.jurisdiction_id));
    });
    app.get(`/requests.${format}`, async (request, reply) => {
      const q = Open311RequestsQuery.parse(textParams(request.query));
      const requests = await listRequests({ db: store.db, clock, origin: origin(request) }, q);
      return send(reply, format, 'service_requests', requests);
    });
    app.post(`/requests.${format}`, async (request, reply) => {
      const { fields, attributes } = formFields(request.body, request.query);
      const submitted = await submitRequest(
        {
          store,
          clock,
          locator,
          duplicates: deps.duplicates,
          calendars: deps.calendars,
          counts: deps.counts,
        },
        { ...Open311RequestForm.parse(fields), attributes },
      );
      return send(reply, format, 'service_requests', [submitted]);
    });
    app.get(`/servicerequestupdates.${format}`, async (request, reply) => {
      const q = Open311UpdatesQuery.parse(textParams(request.query));
      const updates = await listUpdates({ db: store.db, clock, origin: origin(request) }, q);
      return send(reply, format, 'service_requests_updates', updates);
    });
    app.post(`/servicerequestupdates.${format}`, async (request, reply) => {
      const { fields } = formFields(request.body, request.query);
      const posted = await postUpdate(
        { store, clock, rules: deps.rules, counts: deps.counts },
        Open311UpdateForm.parse(fields),
      );
      const answer = { update_id: posted.update_id, account_id: posted.account_id };
      return send(reply, format, 'service_request_updates', [answer]);
    });
  }

  app.get<{ Params: { file: string } }>('/services/:file', async (request, reply) => {
    const parts = splitFile(request.params.file);
    if (!parts) return notFound(request, reply);
    const q = Open311Common.parse(textParams(request.query));
    const definition = await getServiceDefinition(store.db, parts[0], q.jurisdiction_id);
    const body = {
      service_code: definition.service_code,
      attributes: definition.attributes.map(specAttribute),
    };
    return send(reply, parts[1], 'service_definition', body);
  });
  app.get<{ Params: { file: string } }>('/requests/:file', async (request, reply) => {
    const parts = splitFile(request.params.file);
    if (!parts) return notFound(request, reply);
    const q = Open311Common.parse(textParams(request.query));
    const found = await getRequest(
      { db: store.db, clock, origin: origin(request) },
      parts[0],
      q.jurisdiction_id,
    );
    return send(reply, parts[1], 'service_requests', [found]);
  });
  app.get<{ Params: { file: string } }>('/tokens/:file', async (request, reply) => {
    const parts = splitFile(request.params.file);
    if (!parts) return notFound(request, reply);
    return send(reply, parts[1], 'service_requests', [await findToken(store.db, parts[0])]);
  });
}
