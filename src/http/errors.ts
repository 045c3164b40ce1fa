import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { isDomainError, type ErrorCode } from '../core/errors.ts';
import { isStoreFull, isUnstorableText } from '../db/dialect.ts';
import { describeError } from '../i18n/messages.ts';

/** The only place where domain error codes become HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  'request.invalid': 400,
  'request.rate_limited': 429,
  'route.not_found': 404,
  internal: 500,
  'region.invalid_code': 400,
  'region.not_found': 404,
  'geo.invalid_point': 400,
  'geo.no_grid': 404,
  'grid.not_found': 404,
  'grid.import_rejected': 422,
  'grid.worker_already_assigned': 409,
  'datadir.locked': 503,
  'datadir.unusable': 503,
  'datadir.full': 507,
  'store.full': 507,
  'demo.seed_failed': 500,
  'source.unavailable': 503,
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.locked': 429,
  'auth.disabled': 403,
  'auth.csrf_failed': 403,
  'export.too_large': 422,
  'access.out_of_scope': 403,
  'access.wrong_department': 403,
  'access.role_forbidden': 403,
  'user.username_taken': 409,
  'user.password_too_short': 422,
  'category.invalid_code': 400,
  'category.not_found': 404,
  'category.duplicate': 409,
  'category.add_refused': 422,
  'category.inherited_readonly': 422,
  'category.has_children': 409,
  'category.import_rejected': 422,
  'department.not_found': 404,
  'department.duplicate': 409,
  'responsibility.not_found': 404,
  'responsibility.not_draft': 409,
  'responsibility.invalid_list': 422,
  'responsibility.unowned': 404,
  'responsibility.township_not_lead': 422,
  'calendar.year_rejected': 422,
  'calendar.periods_rejected': 422,
  'responsibility.import_rejected': 422,
  'case.not_found': 404,
  'case.location_required': 422,
  'case.region_too_coarse': 422,
  'case.category_required': 422,
  'case.category_not_leaf': 422,
  'case.invalid_report': 422,
  'case.version_conflict': 409,
  'case.invalid_transition': 422,
  'case.reason_required': 422,
  'case.evidence_required': 422,
  'case.field_required': 422,
  'case.invalid_rating': 422,
  'case.reporter_key_invalid': 403,
  'attachment.not_found': 404,
  'attachment.missing_file': 400,
  'attachment.too_large': 413,
  'attachment.unsupported_type': 415,
  'attachment.unreadable': 422,
  'attachment.not_claimable': 422,
  'mail.invalid_address': 422,
  'mail.invalid_link': 400,
  'mail.link_used': 410,
  'mail.invalid_area': 422,
  'subscription.not_found': 404,
  'open311.key_required': 403,
  'open311.key_invalid': 403,
  'open311.key_revoked': 403,
  'open311.key_forbidden': 403,
  'open311.rate_limited': 429,
  'open311.service_not_found': 404,
  'open311.request_not_found': 404,
  'open311.token_not_found': 404,
  'open311.jurisdiction_not_found': 404,
  'open311.parameter_required': 400,
  'open311.parameter_invalid': 400,
  'open311.attribute_invalid': 400,
  'open311.update_exists': 400,
  'open311.definition_invalid': 422,
  'open311.key_not_found': 404,
  // Backup and restore run from the command line only; these statuses are never sent.
  'backup.file_exists': 409,
  'backup.archive_invalid': 422,
  'backup.wrong_store': 422,
  'backup.unknown_migration': 422,
  'backup.target_not_empty': 409,
  'backup.tool_missing': 500,
  'backup.tool_failed': 500,
  'backup.blob_missing': 500,
  'personal.keys_invalid': 500,
  'personal.key_missing': 500,
  'personal.key_mismatch': 500,
  'personal.unreadable': 500,
};

export function errorBody(code: ErrorCode, details: Record<string, unknown> = {}) {
  const { zh, en } = describeError(code, details);
  const shown = Object.keys(details).length > 0 ? { details } : {};
  return { error: { code, message: zh, message_en: en, ...shown } };
}

export function describeIssues(error: ZodError): {
  issues: string;
  list: Array<{ path: string; message: string }>;
} {
  const list = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return { issues: list.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), list };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(errorBody('route.not_found', { method: request.method, url: request.url.split('?')[0] }));
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDomainError(error)) {
      return reply.code(HTTP_STATUS[error.code]).send(errorBody(error.code, error.details));
    }
    // Request validation failures carry the part of the request they concern (Fastify sets it).
    if (error.validationContext) {
      const { issues, list } =
        (error as unknown) instanceof ZodError
          ? describeIssues(error as unknown as ZodError)
          : { issues: error.message, list: [] };
      const where = error.validationContext ? `${error.validationContext}: ` : '';
      return reply.code(400).send(errorBody('request.invalid', { issues: where + issues, fields: list }));
    }
    if (isUnstorableText(error)) {
      return reply.code(400).send(errorBody('request.invalid', { issues: 'text: contains a NUL character' }));
    }
    if (isStoreFull(error)) {
      // Nothing was written; the operator has to free space (docs/resilience.md).
      request.log.error({ err: { type: error.name, message: error.message } }, 'store full: write refused');
      return reply.code(HTTP_STATUS['store.full']).send(errorBody('store.full'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own 4xx (malformed JSON, unsupported media type, body too large).
      return reply.code(error.statusCode).send(errorBody('request.invalid', { issues: error.message }));
    }
    request.log.error(
      { err: { type: error.name, message: error.message, stack: error.stack } },
      'request failed',
    );
    return reply.code(500).send(errorBody('internal'));
  });
}
