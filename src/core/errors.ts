/**
 * Domain errors are values: a stable dotted code plus the facts that explain it.
 * The HTTP edge maps codes to statuses and to Chinese and English messages once
 * (src/http/errors.ts, src/i18n/messages.ts); nothing below it knows a status code.
 */
export const ERROR_CODES = [
  'request.invalid',
  'route.not_found',
  'internal',
  'region.invalid_code',
  'region.not_found',
  'geo.invalid_point',
  'geo.no_grid',
  'grid.not_found',
  'grid.import_rejected',
  'grid.worker_already_assigned',
  'datadir.locked',
  'datadir.unusable',
  'datadir.full',
  'demo.seed_failed',
  'source.unavailable',
  'auth.required',
  'auth.invalid_credentials',
  'auth.locked',
  'auth.disabled',
  'auth.csrf_failed',
  'export.too_large',
  'access.out_of_scope',
  'access.wrong_department',
  'access.role_forbidden',
  'user.username_taken',
  'user.password_too_short',
  'category.invalid_code',
  'category.not_found',
  'category.duplicate',
  'category.add_refused',
  'category.inherited_readonly',
  'category.has_children',
  'category.import_rejected',
  'department.not_found',
  'responsibility.not_found',
  'responsibility.not_draft',
  'responsibility.invalid_list',
  'responsibility.unowned',
  'responsibility.township_not_lead',
  'calendar.year_rejected',
  'calendar.periods_rejected',
  'responsibility.import_rejected',
  'case.not_found',
  'case.location_required',
  'case.region_too_coarse',
  'case.category_required',
  'case.category_not_leaf',
  'case.invalid_report',
  'case.version_conflict',
  'case.invalid_transition',
  'case.reason_required',
  'case.evidence_required',
  'case.field_required',
  'case.invalid_rating',
  'case.reporter_key_invalid',
  'attachment.not_found',
  'attachment.missing_file',
  'attachment.too_large',
  'attachment.unsupported_type',
  'attachment.unreadable',
  'attachment.not_claimable',
  'mail.invalid_address',
  'mail.invalid_link',
  'mail.link_used',
  'mail.invalid_area',
  'subscription.not_found',
  'open311.key_required',
  'open311.key_invalid',
  'open311.key_revoked',
  'open311.key_forbidden',
  'open311.rate_limited',
  'open311.service_not_found',
  'open311.request_not_found',
  'open311.token_not_found',
  'open311.jurisdiction_not_found',
  'open311.parameter_required',
  'open311.parameter_invalid',
  'open311.attribute_invalid',
  'open311.update_exists',
  'open311.definition_invalid',
  'open311.key_not_found',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
