import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OPEN311_XML_ITEMS, type Open311Format } from '../../api/open311.ts';
import { DomainError, isDomainError } from '../../core/errors.ts';
import { toXml, type XmlValue } from '../../core/open311/xml.ts';
import { describeError } from '../../i18n/messages.ts';
import { isStoreFull, isUnstorableText } from '../../db/dialect.ts';
import { HTTP_STATUS } from '../errors.ts';

/** How Open311 travels: its formats, its error documents, its body parsers (src/http/routes/open311.ts). */
export const FORMATS: readonly Open311Format[] = ['json', 'xml'];

function formatOf(url: string): Open311Format {
  return /\.xml(\?|$)/.test(url) ? 'xml' : 'json';
}

/** Sends one document in the format the URL asked for; `root` names the XML root element. */
export function send(reply: FastifyReply, format: Open311Format, root: string, value: unknown): FastifyReply {
  if (format === 'xml') {
    return reply.type('text/xml; charset=utf-8').send(toXml(root, value as XmlValue, OPEN311_XML_ITEMS));
  }
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/** `code.json` → ['code', 'json']; anything but .json / .xml is no route. */
export function splitFile(file: string): [string, Open311Format] | null {
  const dot = file.lastIndexOf('.');
  const format = file.slice(dot + 1);
  if (dot <= 0 || !(FORMATS as readonly string[]).includes(format)) return null;
  return [decodeURIComponent(file.slice(0, dot)), format as Open311Format];
}

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
    const own = error.code.startsWith('open311.') || error.code === 'request.rate_limited';
    const status = http >= 500 ? 500 : own ? http : 400;
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

/** A refusal in the spec's format: the scope's errors, and URLs that never reached it (app.ts). */
export function refuse(request: FastifyRequest, reply: FastifyReply, error: FastifyError): FastifyReply {
  const { status, description } = open311Error(error);
  if (status === 500) {
    request.log.error(
      { err: { type: error.name, message: error.message, stack: error.stack } },
      'open311 failed',
    );
  }
  if (
    isDomainError(error) &&
    (error.code === 'open311.rate_limited' || error.code === 'request.rate_limited')
  ) {
    reply.header('retry-after', String(error.details.retry_after));
  }
  return send(reply.code(status), formatOf(request.url), 'errors', [{ code: status, description }]);
}

export function notFound(request: FastifyRequest, reply: FastifyReply) {
  const { zh, en } = describeError('route.not_found', {
    method: request.method,
    url: request.url.split('?')[0],
  });
  return send(reply.code(404), formatOf(request.url), 'errors', [
    { code: 404, description: `${zh} / ${en} (route.not_found)` },
  ]);
}

/** The scope's parsers and answers: form-encoded and multipart bodies, errors in the spec's format. */
export async function prepareScope(scope: FastifyInstance, maxBytes: number): Promise<void> {
  await scope.register(formbody);
  // The form parser reads a multipart body between these two hooks; what it throws there (no
  // boundary, a form cut short) is a malformed request, not our failure.
  const parsing = new WeakSet<FastifyRequest>();
  scope.addHook('preValidation', async (request) => {
    if (request.isMultipart()) parsing.add(request);
  });
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fields: 200, fieldSize: 64 * 1024, fileSize: maxBytes, files: 4 },
    // The `media` file is read for the photo pipeline; any other file is read and dropped.
    async onFile(part) {
      const slot = part as { value?: unknown };
      if (part.fieldname !== 'media') {
        for await (const _ of part.file);
        slot.value = undefined;
        return;
      }
      try {
        slot.value = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
        throw new DomainError('attachment.too_large', { max_mb: Math.round((maxBytes / 1048576) * 10) / 10 });
      }
    },
  });
  scope.addHook('preValidation', async (request) => {
    parsing.delete(request);
  });
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const malformed = parsing.has(request) && !isDomainError(error) && error.statusCode === undefined;
    const refusal = malformed
      ? new DomainError('request.invalid', { issues: `body: ${error.message}` })
      : isUnstorableText(error)
        ? new DomainError('request.invalid', { issues: 'text: contains a NUL character' })
        : isStoreFull(error)
          ? new DomainError('store.full')
          : error;
    return refuse(request, reply, refusal as FastifyError);
  });
  scope.setNotFoundHandler(notFound);
  // Unknown paths under the prefix answer in the spec's format, before the site's catch-all does.
  scope.all('/*', notFound);
}

/** An uploaded `media` file of a multipart POST, if any. */
export function mediaOf(body: unknown): Uint8Array | undefined {
  const media = (body as { media?: unknown } | null)?.media;
  return media instanceof Uint8Array ? media : undefined;
}
