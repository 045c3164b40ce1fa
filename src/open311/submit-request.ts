import { randomUUID } from 'node:crypto';
import { uploadAttachment } from '../attachments/upload-attachment.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { reportCase } from '../cases/report-case.ts';
import type { ReportDeps } from '../cases/report-input.ts';
import type { AttachmentLimits } from '../core/attachments/limits.ts';
import { bilingual, fill, OPEN311_TEXTS } from '../i18n/open311.ts';
import { checkSubmission, type SubmitRequestInput } from './check-submission.ts';

export type { SubmitRequestInput } from './check-submission.ts';

/** The answer of POST requests: the request id, or a token for clients whose key asks for one. */
export interface SubmittedRequest {
  service_request_id?: string;
  token?: string;
  service_notice: string;
  account_id: string | null;
}

export interface SubmitRequestDeps extends Omit<ReportDeps, 'actor'> {
  /** Where an uploaded `media` file is kept, as every other attachment. */
  storage: BlobStorage;
  attachmentLimits?: Partial<AttachmentLimits> | undefined;
}

/**
 * POST requests (docs/open311.md): the Open311 checks (checkSubmission), then an uploaded `media`
 * file through the photo pipeline (uploadAttachment: re-encoded, metadata removed, private until
 * the case is public), then intake (`reportCase`, channel `open311`). What intake has no place for
 * (answers, address_id, device and account ids) is kept in `open311_submissions`, written first
 * under the idempotency key the case is then reported with: a case never lacks its extras, and a
 * submission whose report was refused is deleted again (its unclaimed upload is pruned).
 */
export async function submitRequest(
  deps: SubmitRequestDeps,
  input: SubmitRequestInput,
): Promise<SubmittedRequest> {
  const { db } = deps.store;
  const checked = await checkSubmission(deps, input);
  const photos = [...(checked.report.photos ?? [])];
  if (input.media !== undefined) {
    const uploaded = await uploadAttachment(
      { db, storage: deps.storage, clock: deps.clock, actor: null, limits: deps.attachmentLimits },
      { data: input.media },
    );
    photos.unshift(uploaded.id);
  }

  const token = randomUUID();
  const caseKey = `open311:${token}`;
  await db
    .insertInto('open311_submissions')
    .values({
      token,
      case_key: caseKey,
      api_key_id: checked.client.id,
      service_code: checked.service_code,
      attributes: JSON.stringify(checked.answers.answers),
      extra_attributes: JSON.stringify(checked.answers.extra),
      address_id: checked.address_id,
      device_id: checked.device_id,
      account_id: checked.account_id,
      created_at: deps.clock.now().toISOString(),
    })
    .execute();
  let reference: string;
  try {
    const reported = await reportCase(
      { ...deps, actor: null },
      { ...checked.report, photos, idempotency_key: caseKey },
    );
    reference = reported.reference;
  } catch (error) {
    await db.deleteFrom('open311_submissions').where('token', '=', token).execute();
    throw error;
  }
  const notice = bilingual(fill(OPEN311_TEXTS.serviceNotice, { reference }));
  const accountId = checked.account_id;
  return checked.client.answer_with_token
    ? { token, service_notice: notice, account_id: accountId }
    : { service_request_id: reference, service_notice: notice, account_id: accountId };
}
