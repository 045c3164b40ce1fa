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
import { call } from './http.ts';

export { ApiError, NetworkError, type Label } from './http.ts';

/** The API as this site uses it: /api/v1 on the same origin (docs/web.md). */

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
