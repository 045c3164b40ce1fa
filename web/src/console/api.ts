import type { z } from 'zod';
import type { CookieLogInResponse, LogInBody, MeResponse } from '../../../src/api/accounts.ts';
import type { AttachmentUploadResponse } from '../../../src/api/attachments.ts';
import type {
  CaseDuplicatesResponse,
  CaseIntakeBody,
  CaseIntakeResponse,
} from '../../../src/api/case-intake.ts';
import type { GridCollectionResponse } from '../../../src/api/grids.ts';
import type {
  CaseActionBody,
  CaseListQuery,
  CaseListResponse,
  CaseSummary as CaseSummarySchema,
  CaseView,
} from '../../../src/api/cases.ts';
import type { CategoryListResponse } from '../../../src/api/categories.ts';
import type { IndicatorsResponse } from '../../../src/api/indicators.ts';
import type { DepartmentsResponse } from '../../../src/api/responsibility.ts';
import { call } from '../http.ts';

export { ApiError, NetworkError, labelOf, type Label } from '../http.ts';

// Every type is the server's own schema (src/api/): the console and the API cannot drift apart.
export type Me = z.infer<typeof MeResponse>;
export type SessionUser = Me['user'];
export type CaseDetail = z.infer<typeof CaseView>;
export type CaseSummary = z.infer<typeof CaseSummarySchema>;
export type CaseList = z.infer<typeof CaseListResponse>;
export type CaseQuery = Partial<Record<keyof z.input<typeof CaseListQuery>, string>>;
export type ActionBody = z.input<typeof CaseActionBody>;
export type Indicators = z.infer<typeof IndicatorsResponse>;
export type Department = z.infer<typeof DepartmentsResponse>['items'][number];
export type Category = z.infer<typeof CategoryListResponse>['items'][number];
export type Upload = z.infer<typeof AttachmentUploadResponse>;
export type StaffReport = z.input<typeof CaseIntakeBody>;

/**
 * The session is an HttpOnly cookie the browser sends by itself; a change also needs the CSRF
 * token the sign-in (or /me after a reload) answered, which lives only in this page's memory.
 */
let csrfToken: string | null = null;

export function send(method: string, body?: unknown, contentType = 'application/json'): RequestInit {
  const headers: Record<string, string> = {};
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  if (body === undefined) return { method, headers };
  headers['content-type'] = contentType;
  return {
    method,
    headers,
    body: contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit),
  };
}

/** The CSRF header of a change sent outside `call` (an upload through XMLHttpRequest, for its progress). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

export function query(params: CaseQuery): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  signIn: async (body: z.input<typeof LogInBody>) => {
    const answer = await call<z.infer<typeof CookieLogInResponse>>(
      '/api/v1/session/cookie',
      send('POST', body),
    );
    csrfToken = answer.csrf_token;
    return answer;
  },
  me: async () => {
    const answer = await call<Me>('/api/v1/me', { cache: 'no-store' });
    csrfToken = answer.csrf_token ?? csrfToken;
    return answer;
  },
  signOut: async () => {
    await call('/api/v1/session', send('DELETE'));
    csrfToken = null;
  },
  /** `no-cache`: the browser revalidates with the list's ETag, and a 304 keeps its copy. */
  cases: (params: CaseQuery) => call<CaseList>(`/api/v1/cases${query(params)}`, { cache: 'no-cache' }),
  exportUrl: (params: CaseQuery) => {
    const { limit: _limit, cursor: _cursor, ...rest } = params;
    return `/api/v1/cases/export.xlsx${query(rest)}`;
  },
  case: (id: string) => call<CaseDetail>(`/api/v1/cases/${encodeURIComponent(id)}`, { cache: 'no-store' }),
  duplicates: (id: string) =>
    call<z.infer<typeof CaseDuplicatesResponse>>(`/api/v1/cases/${encodeURIComponent(id)}/duplicates`),
  grids: (within: string) =>
    call<z.infer<typeof GridCollectionResponse>>(`/api/v1/grids?within=${encodeURIComponent(within)}`),
  act: (id: string, body: ActionBody) =>
    call<CaseDetail>(`/api/v1/cases/${encodeURIComponent(id)}/actions`, send('POST', body)),
  report: (body: StaffReport) =>
    call<z.infer<typeof CaseIntakeResponse>>('/api/v1/cases', send('POST', body)),
  upload: (file: Blob) =>
    call<Upload>('/api/v1/attachments', send('POST', file, file.type || 'application/octet-stream')),
  departments: (region: string) =>
    call<z.infer<typeof DepartmentsResponse>>(`/api/v1/departments?region=${encodeURIComponent(region)}`),
  categories: (region: string) =>
    call<z.infer<typeof CategoryListResponse>>(`/api/v1/categories?region=${encodeURIComponent(region)}`),
  indicators: (params: Record<string, string>) =>
    call<Indicators>(`/api/v1/indicators?${new URLSearchParams(params).toString()}`, { cache: 'no-cache' }),
};
