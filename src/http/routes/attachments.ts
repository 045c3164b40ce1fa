import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { defineRawRoute, type RouteGroup } from '../route.ts';
import { z } from 'zod';
import { AttachmentQuery, AttachmentUploadResponse } from '../../api/attachments.ts';
import type { BlobStorage } from '../../attachments/blob-storage.ts';
import { openAttachment } from '../../attachments/open-attachment.ts';
import { uploadAttachment } from '../../attachments/upload-attachment.ts';
import { cacheControl, matchesEtag } from '../../core/attachments/access.ts';
import { DEFAULT_ATTACHMENT_LIMITS } from '../../core/attachments/limits.ts';
import { attachmentUrl, thumbnailUrl } from '../../core/attachments/refs.ts';
import { DomainError, isDomainError } from '../../core/errors.ts';
import type { AppDeps } from '../deps.ts';
import { optionalActor } from '../auth.ts';

const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

const BINARY_FILE = { 'image/*': 'binary', 'application/pdf': 'binary' } as const;

/**
 * Uploading and serving attachments (docs/attachments.md). These routes move files, not JSON, so
 * they are raw routes in a group of their own: its body parsers (a raw body of any type, or
 * multipart/form-data) apply to these routes only.
 */
export function attachmentRoutes(deps: AppDeps & { storage: BlobStorage }): RouteGroup {
  const limits = { ...DEFAULT_ATTACHMENT_LIMITS, ...deps.attachmentLimits };
  const tooLarge = () => new DomainError('attachment.too_large', { max_mb: megabytes(limits.maxBytes) });
  const { storage } = deps;

  const upload = defineRawRoute({
    method: 'POST',
    url: '/api/v1/attachments',
    summary:
      '上传照片或附件 / Upload a photo or (staff) a PDF: the file as the body, or multipart field `file`',
    tags: ['attachments'],
    bodies: {
      'multipart/form-data': z.object({ file: z.string().meta({ format: 'binary' }) }),
      'application/octet-stream': 'binary',
      'image/*': 'binary',
    },
    responses: {
      '201': {
        description:
          '已保存（图片已重新编码，位置等元数据已去除）/ Stored, images re-encoded without metadata',
        content: { 'application/json': AttachmentUploadResponse },
      },
    },
    async handle(request, reply) {
      const actor = await optionalActor(deps, request.headers);
      const data = request.isMultipart() ? await readFormFile(request, tooLarge) : request.body;
      if (!(data instanceof Buffer)) throw new DomainError('attachment.missing_file');
      const uploaded = await uploadAttachment(
        { db: deps.store.db, storage, clock: deps.clock, actor, limits },
        { data },
      );
      const { has_thumbnail, ...rest } = uploaded;
      const body = AttachmentUploadResponse.parse({
        ...rest,
        url: attachmentUrl(uploaded.id),
        thumbnail_url: has_thumbnail ? thumbnailUrl(uploaded.id) : null,
      });
      return reply.code(201).header('location', body.url).send(body);
    },
  });

  const serve = (url: string, variant: 'file' | 'thumbnail', summary: string) =>
    defineRawRoute({
      method: 'GET',
      url,
      summary,
      tags: ['attachments'],
      params: z.object({ id: z.string() }),
      query: AttachmentQuery,
      responses: {
        '200': { description: summary, content: BINARY_FILE },
        '304': { description: '未修改 / Not modified (If-None-Match matched the ETag)' },
      },
      async handle(request, reply) {
        // Any id reaches the use case, which answers 404 for one that cannot exist.
        const { id } = request.params as { id: string };
        const query = AttachmentQuery.safeParse(request.query);
        const header = request.headers['x-upload-key'];
        const key =
          (query.success ? query.data.key : undefined) ?? (typeof header === 'string' ? header : undefined);
        const actor = await optionalActor(deps, request.headers);
        const serveDeps = { db: deps.store.db, traits: deps.store.traits, storage };
        const found = await openAttachment(serveDeps, { actor, key }, id, variant);
        reply
          .header('etag', found.etag)
          .header('cache-control', cacheControl(found.visibility))
          .header('x-content-type-options', 'nosniff')
          // Nothing served here runs: no scripts, no plug-ins, even if a browser opened it as a page.
          .header('content-security-policy', "default-src 'none'; sandbox");
        if (matchesEtag(request.headers['if-none-match'], found.etag)) return reply.code(304).send();
        reply.type(found.contentType).header('content-length', found.bytes);
        if (found.download) {
          reply.header(
            'content-disposition',
            `attachment; filename="${id}.${found.contentType.split('/')[1]}"`,
          );
        }
        const { stream } = await found.open();
        return reply.send(stream);
      },
    });

  return {
    async prepare(scope) {
      scope.removeAllContentTypeParsers();
      // A phone's form posts multipart/form-data with one file field `file`.
      await scope.register(multipart, { limits: { fileSize: limits.maxBytes, files: 1, fields: 8 } });
      // Apps and scripts post the file itself, under any declared type (the content decides).
      scope.addContentTypeParser('*', (request, payload, done) => {
        readAtMost(request, payload, limits.maxBytes).then(
          (body) => done(null, body),
          (error: unknown) => done(error === TOO_LARGE ? tooLarge() : (error as Error)),
        );
      });
    },
    routes: [
      upload,
      serve('/api/v1/attachments/:id', 'file', '附件 / The stored file'),
      serve('/api/v1/attachments/:id/thumbnail', 'thumbnail', '缩略图 / The thumbnail (WebP) of an image'),
    ],
  };
}

const TOO_LARGE = Symbol('too large');

/** Reads a raw body, refusing it as soon as it passes `max` bytes (or says it will). */
function readAtMost(request: FastifyRequest, payload: NodeJS.ReadableStream, max: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(TOO_LARGE);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        payload.removeListener('data', onData);
        reject(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    payload.on('data', onData);
    payload.on('error', reject);
    payload.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

async function readFormFile(
  request: FastifyRequest,
  tooLarge: () => DomainError,
): Promise<Buffer | undefined> {
  try {
    const part = await request.file();
    if (!part || part.fieldname !== 'file') return undefined;
    return await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (isDomainError(error) || ((error as { statusCode?: number }).statusCode ?? 500) < 500) throw error;
    // The form parser's own failures (no boundary, a form cut short) are a malformed request.
    throw new DomainError('request.invalid', { issues: `body: ${(error as Error).message}` });
  }
}
