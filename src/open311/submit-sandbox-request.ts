import { randomBytes, randomUUID } from 'node:crypto';
import { prepareUpload } from '../attachments/upload-attachment.ts';
import { checkReport, type ReportDeps } from '../cases/report-input.ts';
import type { AttachmentLimits } from '../core/attachments/limits.ts';
import { bilingual, fill, OPEN311_TEXTS } from '../i18n/open311.ts';
import { checkSubmission, type SubmitRequestInput } from './check-submission.ts';
import type { SubmittedRequest } from './submit-request.ts';

/** References of the test endpoint: `TEST-` and 16 random letters, never a case reference. */
export const SANDBOX_PREFIX = 'TEST-';

export interface SandboxDeps extends Pick<ReportDeps, 'store' | 'clock' | 'locator'> {
  attachmentLimits?: Partial<AttachmentLimits> | undefined;
}

/**
 * POST requests on the test endpoint (docs/open311.md, "Test endpoint"): every check production
 * makes (checkSubmission with the key's rate limit, intake's checkReport: place, grid, category
 * visible there; a `media` file through the photo checks), then one row in
 * `open311_sandbox_requests` and nothing else: no case, no event, no mail, no count. The answer
 * has production's shape; the request can be read back for a day.
 */
export async function submitSandboxRequest(
  deps: SandboxDeps,
  input: SubmitRequestInput,
): Promise<SubmittedRequest> {
  const checked = await checkSubmission(deps, input);
  const report = await checkReport({ ...deps, actor: null }, checked.report);
  // The file is checked as production checks it (size, type from its bytes, an image that
  // decodes) and then dropped: the test endpoint keeps no files.
  if (input.media !== undefined) {
    await prepareUpload({ actor: null, limits: deps.attachmentLimits }, input.media);
  }
  const reference = `${SANDBOX_PREFIX}${randomBytes(12).toString('base64url').toUpperCase().slice(0, 16)}`;
  const token = randomUUID();
  await deps.store.db
    .insertInto('open311_sandbox_requests')
    .values({
      service_request_id: reference,
      token,
      api_key_id: checked.client.id,
      service_code: checked.service_code,
      description: report.description,
      address: report.place.address,
      region_code: report.place.region.code,
      grid_code: report.place.grid?.code ?? null,
      lat: report.place.point?.lat ?? null,
      lon: report.place.point?.lon ?? null,
      address_id: checked.address_id,
      attributes: JSON.stringify(checked.answers.answers),
      media_url: checked.media_url,
      created_at: deps.clock.now().toISOString(),
    })
    .execute();
  const notice = bilingual(fill(OPEN311_TEXTS.sandboxNotice, { reference }));
  return checked.client.answer_with_token
    ? { token, service_notice: notice, account_id: checked.account_id }
    : { service_request_id: reference, service_notice: notice, account_id: checked.account_id };
}
