import type { FeatureCollection } from 'geojson';
import type { z } from 'zod';
import type { AttachmentUploadResponse } from '../../src/api/attachments.ts';
import type { CaseIntakeBody, CaseIntakeResponse } from '../../src/api/case-intake.ts';
import type { Category as CategorySchema, CategoryListResponse } from '../../src/api/categories.ts';
import type { FollowBody, FollowResponse } from '../../src/api/followers.ts';
import type {
  PublicCaseView,
  PublicDuplicate as PublicDuplicateSchema,
  PublicDuplicatesResponse,
  PublicEventSchema,
  VerdictBody,
  VerdictResponse,
} from '../../src/api/public-cases.ts';

/** The API as this site uses it: /api/v1 on the same origin (docs/web.md). */

export interface Label {
  zh: string;
  en: string;
}

// Every API type is the server's own schema (src/api/), so that the site and the API cannot
// drift apart.
export type Category = z.infer<typeof CategorySchema>;
export type PublicEvent = z.infer<typeof PublicEventSchema>;
export type PublicCase = z.infer<typeof PublicCaseView>;
export type PublicDuplicate = z.infer<typeof PublicDuplicateSchema>;

export type Upload = z.infer<typeof AttachmentUploadResponse>;
/** The intake body as the site sends it: always the web channel, always with a retry key. */
export type IntakeBody = z.input<typeof CaseIntakeBody> & { channel: 'web'; idempotency_key: string };
export type IntakeAnswer = z.infer<typeof CaseIntakeResponse>;

/** The API refused: its code and its message in both languages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly label: Label,
  ) {
    super(`${code}: ${label.en}`);
  }
}

/** The request never got an answer (offline, connection dropped): worth retrying later. */
export class NetworkError extends Error {}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (!res.ok) {
    let code = 'http.' + res.status;
    let label: Label = { zh: res.statusText || String(res.status), en: res.statusText || String(res.status) };
    try {
      const body = (await res.json()) as { error?: { code: string; message: string; message_en: string } };
      if (body.error) {
        code = body.error.code;
        label = { zh: body.error.message, en: body.error.message_en };
      }
    } catch {
      // not JSON (a proxy's page): keep the status text
    }
    // A gateway that cannot reach the server is the network's fault, not the report's.
    if (res.status === 502 || res.status === 503 || res.status === 504) throw new NetworkError(code);
    throw new ApiError(res.status, code, label);
  }
  return (await res.json()) as T;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const api = {
  categories: (region: string) =>
    call<z.infer<typeof CategoryListResponse>>(`/api/v1/categories?region=${encodeURIComponent(region)}`),
  grids: (region: string) => call<FeatureCollection>(`/api/v1/grids?within=${encodeURIComponent(region)}`),
  duplicates: (p: { lon: number; lat: number; category: string }) =>
    call<z.infer<typeof PublicDuplicatesResponse>>(
      `/api/v1/public/duplicates?lon=${p.lon}&lat=${p.lat}&category=${encodeURIComponent(p.category)}`,
    ),
  report: (body: IntakeBody) => call<IntakeAnswer>('/api/v1/cases', json(body)),
  publicCase: (reference: string) =>
    call<PublicCase>(`/api/v1/public/cases/${encodeURIComponent(reference)}`, { cache: 'no-store' }),
  verdict: (reference: string, body: z.input<typeof VerdictBody>) =>
    call<z.infer<typeof VerdictResponse>>(
      `/api/v1/public/cases/${encodeURIComponent(reference)}/verdict`,
      json(body),
    ),
  follow: (caseId: string, email: string) =>
    call<z.infer<typeof FollowResponse>>(
      `/api/v1/cases/${encodeURIComponent(caseId)}/followers`,
      json({ email } satisfies z.input<typeof FollowBody>),
    ),
  upload: (file: Blob) =>
    call<Upload>('/api/v1/attachments', {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream' },
      body: file,
    }),
};
