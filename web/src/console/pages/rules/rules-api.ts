import type { z } from 'zod';
import type { UserListResponse, CreateUserBody, User } from '../../../../../src/api/accounts.ts';
import type {
  HolidayYearBody,
  HolidayYearsResponse,
  LoadedYearResponse,
} from '../../../../../src/api/calendar.ts';
import type { AddCategoryBody, Category, CategoryListResponse } from '../../../../../src/api/categories.ts';
import type { Region, RegionRef } from '../../../../../src/api/common.ts';
import type { ApiKey, ApiKeyChangeBody, ApiKeyIssueBody } from '../../../../../src/api/open311-admin.ts';
import type {
  CoverageResponse,
  DepartmentSchema,
  DepartmentsResponse,
  ImportResponse,
  ListHeaderSchema,
  ListSchema,
  NewDepartmentBody,
  ProblemsResponse,
} from '../../../../../src/api/responsibility.ts';
import type { GridCollectionResponse, GridResponse } from '../../../../../src/api/grids.ts';
import { call } from '../../../http.ts';
import { send } from '../../api.ts';

// The server's own schemas (src/api/): the editors and the API cannot drift apart.
export type ListHeader = z.infer<typeof ListHeaderSchema>;
export type RuleList = z.infer<typeof ListSchema>;
export type ListContent = Pick<RuleList, 'entries' | 'township_duties'>;
export type Entry = RuleList['entries'][number];
export type Duty = RuleList['township_duties'][number];
export type Problem = z.infer<typeof ProblemsResponse>['problems'][number];
export type Coverage = z.infer<typeof CoverageResponse>;
export type Department = z.infer<typeof DepartmentSchema>;
export type CategoryItem = z.infer<typeof Category>;
export type RegionInfo = z.infer<typeof Region>;
export type RegionItem = z.infer<typeof RegionRef>;
export type UserItem = z.infer<typeof User>;
export type KeyItem = z.infer<typeof ApiKey>;
export type GridCollection = z.infer<typeof GridCollectionResponse>;
export type GridDetail = z.infer<typeof GridResponse>;
export type HolidayYears = z.infer<typeof HolidayYearsResponse>;

/** A change: JSON with the session's CSRF token (api.ts keeps it; /me answers it after a reload). */
function change<T>(method: string, path: string, body?: unknown): Promise<T> {
  return call<T>(path, send(method, body));
}

const enc = encodeURIComponent;
const fresh: RequestInit = { cache: 'no-store' };

export const rulesApi = {
  region: (code: string) => call<RegionInfo>(`/api/v1/regions/${enc(code)}`),
  children: (code: string) =>
    call<{ parent: RegionInfo; children: RegionItem[] }>(`/api/v1/regions/${enc(code)}/children`),
  categories: (region: string) =>
    call<z.infer<typeof CategoryListResponse>>(`/api/v1/categories?region=${enc(region)}`, fresh),
  addCategory: (body: z.input<typeof AddCategoryBody>) =>
    change<CategoryItem>('POST', '/api/v1/categories', body),
  renameCategory: (code: string, body: { region: string; name: string; name_en?: string }) =>
    change<CategoryItem>('PATCH', `/api/v1/categories/${enc(code)}`, body),
  departments: (region: string) =>
    call<z.infer<typeof DepartmentsResponse>>(`/api/v1/departments?region=${enc(region)}`, fresh),
  addDepartment: (body: z.input<typeof NewDepartmentBody>) =>
    change<Department>('POST', '/api/v1/departments', body),

  lists: (region: string) =>
    call<{ items: ListHeader[] }>(`/api/v1/responsibility/lists?region=${enc(region)}`, fresh),
  list: (id: string) => call<RuleList>(`/api/v1/responsibility/lists/${enc(id)}`, fresh),
  draft: (region: string) => change<ListHeader>('POST', '/api/v1/responsibility/lists', { region }),
  save: (id: string, content: ListContent) =>
    change<RuleList>('PUT', `/api/v1/responsibility/lists/${enc(id)}/content`, content),
  validate: (id: string) =>
    change<z.infer<typeof ProblemsResponse>>('POST', `/api/v1/responsibility/lists/${enc(id)}/validate`),
  publish: (id: string) => change<ListHeader>('POST', `/api/v1/responsibility/lists/${enc(id)}/publish`),
  coverage: (region: string) =>
    call<Coverage>(`/api/v1/responsibility/coverage?region=${enc(region)}`, fresh),
  exportUrl: (region: string, format: 'csv' | 'json', version: number | 'draft' | null) =>
    `/api/v1/responsibility/export?region=${enc(region)}&format=${format}${version === null ? '' : `&version=${version}`}`,
  importList: (region: string, format: 'csv' | 'json', text: string) =>
    change<z.infer<typeof ImportResponse>>('POST', '/api/v1/responsibility/import', { region, format, text }),

  years: () => call<HolidayYears>('/api/v1/calendar/years', fresh),
  loadYear: (body: z.input<typeof HolidayYearBody>) =>
    change<z.infer<typeof LoadedYearResponse>>('POST', '/api/v1/calendar/years', body),
  workPeriods: (region: string) =>
    call<{ region: string; periods: Array<{ start: string; end: string }>; periods_from: string | null }>(
      `/api/v1/calendar/work-periods?region=${enc(region)}`,
      fresh,
    ),
  setWorkPeriods: (region: string, periods: Array<{ start: string; end: string }> | null) =>
    change<{ region: string; periods: unknown }>('PUT', '/api/v1/calendar/work-periods', { region, periods }),

  users: () => call<z.infer<typeof UserListResponse>>('/api/v1/users?limit=500', fresh),
  createUser: (body: z.input<typeof CreateUserBody>) => change<UserItem>('POST', '/api/v1/users', body),

  keys: () => call<{ items: KeyItem[] }>('/api/v1/open311/keys', fresh),
  issueKey: (body: z.input<typeof ApiKeyIssueBody>) =>
    change<KeyItem & { key: string }>('POST', '/api/v1/open311/keys', body),
  changeKey: (id: string, body: z.input<typeof ApiKeyChangeBody>) =>
    change<KeyItem>('PATCH', `/api/v1/open311/keys/${enc(id)}`, body),
  revokeKey: (id: string) => change<KeyItem>('POST', `/api/v1/open311/keys/${enc(id)}/revoke`),

  grids: (within: string) => call<GridCollection>(`/api/v1/grids?within=${enc(within)}`, fresh),
  grid: (code: string) => call<GridDetail>(`/api/v1/grids/${enc(code)}`, fresh),
  assignWorker: (grid: string, body: { worker_ref: string; worker_name: string; duty: string }) =>
    change<unknown>('POST', `/api/v1/grids/${enc(grid)}/workers`, body),
  endWorker: (grid: string, ref: string) =>
    change<unknown>('DELETE', `/api/v1/grids/${enc(grid)}/workers/${enc(ref)}`),
};
