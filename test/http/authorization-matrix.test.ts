import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createUser } from '../../src/accounts/create-user.ts';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { hashToken, newToken, SESSION_TTL_MS } from '../../src/accounts/sessions.ts';
import { ROLES, type Role } from '../../src/core/access/roles.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { issueApiKey } from '../../src/open311/issue-api-key.ts';
import { draftList } from '../../src/responsibility/draft-list.ts';
import { addCategory } from '../../src/taxonomy/add-category.ts';
import { seedXihu } from '../helpers/actors.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { loadCounty } from '../helpers/regions.ts';
import { servedRoutes } from '../helpers/route-registry.ts';
import { IN_GRID, MARKET, SHANGBAO, URBAN, type Json } from '../helpers/scenario.ts';

/**
 * Who may call which /api/v1 route, on what. Every route of the app (its OpenAPI document and
 * Fastify's own route tree) × every role (one account each) and anonymous × a target inside the
 * caller's scope and one outside it, each against the answer written in TABLE below, which says
 * what the product promises (docs/PRODUCT.md, docs/CONTRACT.md) and is not computed from the
 * permission code under test. Then the rows behind lists, search, the export and the indicators:
 * never a case outside the caller's scope, never a count that includes one, and no resident's
 * name, phone or words in an aggregate.
 */

// ---------------------------------------------------------------------------------------------
// The places and the cases
// ---------------------------------------------------------------------------------------------

/** 西湖区 (the demo county), 北山街道 and 上保社区; 上城区 next door; 上海 黄浦区 in another province. */
const XIHU = '330106000000';
const BEISHAN = '330106002000';
const SHANGCHENG = '330102000000';
const HUANGPU = '310101000000';
const GRID_IN = `${SHANGBAO}01`;

/** Filled in before(): a community of 西溪街道 (西湖区), of 上城区 and of 黄浦区. */
const places = { xixi: '', shangcheng: '', huangpu: '', huangpuGrid: '' };

type CaseName = 'A' | 'M' | 'T' | 'C' | 'P';

/**
 * The cases every caller is tried on, reported on 2026-03-02, each with its reporter's personal
 * data and words (which must never reach an aggregate):
 * A 上保社区, reported by the resident account, dispatched to 城管 (public once registered);
 * M 上保社区, dispatched to 市场监管 (another department's case);
 * T 西溪街道 of 西湖区 (another township), only reported;
 * C 上城区 (another county of 杭州), only reported;
 * P 上海 黄浦区 (another province), only reported.
 */
const REPORTERS: Record<CaseName, { name: string; phone: string; title: string; description: string }> = {
  A: { name: '王甲明', phone: '13911110001', title: '矩阵甲垃圾', description: '甲楼门口的垃圾' },
  M: { name: '李乙华', phone: '13911110002', title: '矩阵乙摊贩', description: '乙路口的流动摊贩' },
  T: { name: '赵丙西', phone: '13911110003', title: '矩阵丙积水', description: '丙巷子里的积水' },
  C: { name: '钱丁城', phone: '13911110004', title: '矩阵丁噪音', description: '丁小区夜间噪音' },
  P: { name: '孙戊浦', phone: '13911110005', title: '矩阵戊井盖', description: '戊弄堂井盖缺失' },
};
const SEARCH_WORD = '矩阵';

interface StoredCase {
  id: string;
  reference: string;
  /** Registered and not voided: its photos are public (docs/attachments.md). */
  public: boolean;
  photo: string;
}
const cases = {} as Record<CaseName, StoredCase>;

// ---------------------------------------------------------------------------------------------
// The callers: one account per role, and anonymous
// ---------------------------------------------------------------------------------------------

type Caller = Role | 'anonymous';

/**
 * Each caller's account, and what lies in and out of its scope: a case it may read and one it
 * may not (the closest one outside: another township for a community, another department for a
 * department, another county for a county centre, another province for the province), and a
 * region inside and outside its scope.
 */
const CALLERS: Record<
  Caller,
  {
    username: string | null;
    inCase: CaseName;
    outCase: CaseName;
    inRegion: () => string;
    outRegion: () => string;
  }
> = {
  anonymous: { username: null, inCase: 'A', outCase: 'T', inRegion: () => XIHU, outRegion: () => HUANGPU },
  resident: {
    username: 'resident',
    inCase: 'A',
    outCase: 'T',
    inRegion: () => XIHU,
    outRegion: () => HUANGPU,
  },
  grid_worker: {
    username: 'grid.worker',
    inCase: 'A',
    outCase: 'T',
    inRegion: () => SHANGBAO,
    outRegion: () => places.xixi,
  },
  community_handler: {
    username: 'community.handler',
    inCase: 'A',
    outCase: 'T',
    inRegion: () => SHANGBAO,
    outRegion: () => places.xixi,
  },
  township_handler: {
    username: 'township.handler',
    inCase: 'A',
    outCase: 'T',
    inRegion: () => BEISHAN,
    outRegion: () => places.xixi,
  },
  department_handler: {
    username: 'dept.urban',
    inCase: 'A',
    outCase: 'M',
    inRegion: () => XIHU,
    outRegion: () => SHANGCHENG,
  },
  county_centre: {
    username: 'county.center',
    inCase: 'A',
    outCase: 'C',
    inRegion: () => XIHU,
    outRegion: () => SHANGCHENG,
  },
  city_centre: {
    username: 'city.center',
    inCase: 'A',
    outCase: 'P',
    inRegion: () => XIHU,
    outRegion: () => HUANGPU,
  },
  province_centre: {
    username: 'province.center',
    inCase: 'A',
    outCase: 'P',
    inRegion: () => XIHU,
    outRegion: () => HUANGPU,
  },
  analyst: {
    username: 'analyst',
    inCase: 'A',
    outCase: 'C',
    inRegion: () => XIHU,
    outRegion: () => SHANGCHENG,
  },
  admin: { username: 'admin', inCase: 'A', outCase: 'P', inRegion: () => XIHU, outRegion: () => HUANGPU },
};
const CALLER_NAMES = Object.keys(CALLERS) as Caller[];

/** Which fixture cases each caller may read: the cases its lists, search and export show. */
const READABLE: Record<Caller, readonly CaseName[] | 'refused'> = {
  anonymous: 'refused',
  resident: ['A'],
  grid_worker: ['A', 'M'],
  community_handler: ['A', 'M'],
  township_handler: ['A', 'M'],
  department_handler: ['A'],
  county_centre: ['A', 'M', 'T'],
  city_centre: ['A', 'M', 'T', 'C'],
  province_centre: ['A', 'M', 'T', 'C'],
  analyst: 'refused',
  admin: 'refused',
};

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** One call of the matrix: who calls, on which target, and a number unique to the call. */
interface Call {
  caller: Caller;
  inScope: boolean;
  case: StoredCase;
  region: string;
  n: number;
}

type Request = Omit<InjectOptions, 'headers'> & { url: string; headers?: Record<string, string> };

const CENTRES: readonly Role[] = ['county_centre', 'city_centre', 'province_centre'];
const CASE_STAFF: readonly Role[] = [
  'grid_worker',
  'community_handler',
  'township_handler',
  'department_handler',
  ...CENTRES,
];
const INDICATOR_READERS: readonly Role[] = [
  'community_handler',
  'township_handler',
  'department_handler',
  ...CENTRES,
  'analyst',
  'admin',
];
const TAXONOMY_EDITORS: readonly Role[] = [...CENTRES, 'admin'];

interface Row {
  /**
   * Who may call it: anyone (no account needed), any signed-in account, or these roles (the
   * others get `refused`, anonymous 401).
   */
  who: 'anyone' | 'signed_in' | readonly Role[];
  /**
   * What the target is: a case, a region (the caller's subtree), a record of the caller's own,
   * or nothing (the route is not limited to a place).
   */
  scope: 'case' | 'region' | 'own' | 'none';
  /** Anonymous, when it differs from the rule of `who` (401 unless `who` is 'anyone'). */
  anonymous?: number;
  /** A signed-in caller without the right (default 403). */
  refused?: number;
  /** A caller with the right, outside its scope (default 403). */
  outside?: number;
  /** The answers that mean "allowed" (default 200). */
  ok?: number | readonly number[];
  /** Anyone may read a public case's photos, whatever their scope. */
  publicWhenCaseIs?: true;
  request(call: Call): Request | Promise<Request>;
}

const PERIOD = 'from=2026-03-02&to=2026-03-02';
const WEEK = '2026-03-02T09:00:00%2B08:00';
const NO_SUCH_CASE = '00000000-0000-4000-8000-000000000000';

/**
 * The expected answers, per route. `case`: a case the caller may not read answers exactly as a
 * missing case does (404 case.not_found), so that a stranger cannot tell "not yours" from "none".
 * Indicators are limited to the caller's region subtree only: they are aggregates for every
 * reader of the region, departments included (GRANTS gives them indicators.read in the county),
 * and name no one.
 */
const TABLE: Record<string, Row> = {
  // Public facts: the taxonomy, regions, grids, departments, published lists, the calendar.
  'GET /api/v1/categories': {
    who: 'anyone',
    scope: 'none',
    request: (c) => get(`/api/v1/categories?region=${c.region}`),
  },
  'GET /api/v1/categories/export': {
    who: 'anyone',
    scope: 'none',
    request: (c) => get(`/api/v1/categories/export?region=${c.region}&format=json`),
  },
  'GET /api/v1/regions': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/regions?q=${enc('西湖')}`),
  },
  'GET /api/v1/regions/{code}': {
    who: 'anyone',
    scope: 'none',
    request: (c) => get(`/api/v1/regions/${c.region}`),
  },
  'GET /api/v1/regions/{code}/children': {
    who: 'anyone',
    scope: 'none',
    request: (c) => get(`/api/v1/regions/${c.region}/children`),
  },
  'GET /api/v1/locate': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/locate?lon=${IN_GRID.lon}&lat=${IN_GRID.lat}`),
  },
  'GET /api/v1/grids': { who: 'anyone', scope: 'none', request: () => get('/api/v1/grids?within=330106') },
  'GET /api/v1/grids/{code}': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/grids/${GRID_IN}`),
  },
  'GET /api/v1/departments': {
    who: 'anyone',
    scope: 'none',
    request: (c) => get(`/api/v1/departments?region=${c.region}`),
  },
  'GET /api/v1/responsibility/resolve': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/responsibility/resolve?category=SJ0102&region=${SHANGBAO}`),
  },
  'GET /api/v1/responsibility/coverage': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/responsibility/coverage?region=330106`),
  },
  'GET /api/v1/responsibility/lists': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/responsibility/lists?region=330106`),
  },
  'GET /api/v1/responsibility/lists/{id}': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/responsibility/lists/${fixtures.publishedList}`),
  },
  'GET /api/v1/responsibility/export': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/responsibility/export?region=330106&format=json`),
  },
  // What stands between a draft and publication is read-only and answers anyone (see the report).
  'POST /api/v1/responsibility/lists/{id}/validate': {
    who: 'anyone',
    scope: 'none',
    request: async (c) => ({
      method: 'POST',
      url: `/api/v1/responsibility/lists/${await draftFor(c)}/validate`,
    }),
  },
  'GET /api/v1/calendar/deadline': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/calendar/deadline?start=${WEEK}&amount=2&unit=work_days&region=330106`),
  },
  'GET /api/v1/calendar/years': {
    who: 'anyone',
    scope: 'none',
    request: () => get('/api/v1/calendar/years'),
  },
  'GET /api/v1/calendar/work-periods': {
    who: 'anyone',
    scope: 'none',
    request: (c) => get(`/api/v1/calendar/work-periods?region=${c.region}`),
  },

  // Sessions: logging in needs only the password; the rest needs the session.
  'POST /api/v1/session': {
    who: 'anyone',
    scope: 'none',
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: CALLERS[c.caller].username ?? 'resident', password: 'demo' },
    }),
  },
  'POST /api/v1/session/cookie': {
    who: 'anyone',
    scope: 'none',
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/session/cookie',
      payload: { username: CALLERS[c.caller].username ?? 'resident', password: 'demo' },
    }),
  },
  'DELETE /api/v1/session': {
    who: 'signed_in',
    scope: 'none',
    // A session of its own: logging out revokes the token it is sent with.
    request: async (c) => ({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: await freshSession(c.caller),
    }),
  },
  'GET /api/v1/me': { who: 'signed_in', scope: 'none', request: () => get('/api/v1/me') },
  'PUT /api/v1/session/mail': {
    who: 'signed_in',
    scope: 'none',
    request: () => ({ method: 'PUT', url: '/api/v1/session/mail', payload: { queue_digest: false } }),
  },

  // Cases. Anyone may report, anywhere (residents report wherever they are).
  // Department handlers, analysts and administrators do not file cases (GRANTS: no case.create).
  'POST /api/v1/cases': {
    who: ['resident', 'grid_worker', 'community_handler', 'township_handler', ...CENTRES],
    anonymous: 201,
    scope: 'none',
    ok: 201,
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/cases',
      payload: {
        channel: 'web',
        category: 'SJ0102',
        title: `矩阵外的上报 ${c.n}`,
        description: '授权矩阵的上报',
        location: IN_GRID,
      },
    }),
  },
  // Every account lists the cases it may read: none for analysts and administrators (see READABLE).
  'GET /api/v1/cases': {
    who: 'signed_in',
    scope: 'none',
    request: () => get('/api/v1/cases?limit=5'),
  },
  'GET /api/v1/cases/export.xlsx': {
    who: 'signed_in',
    scope: 'none',
    request: () => get(`/api/v1/cases/export.xlsx?q=${enc(SEARCH_WORD)}`),
  },
  'GET /api/v1/cases/{id}': {
    who: ['resident', ...CASE_STAFF],
    scope: 'case',
    refused: 404,
    outside: 404,
    request: (c) => get(`/api/v1/cases/${c.case.id}`),
  },
  'GET /api/v1/cases/{id}/duplicates': {
    who: CASE_STAFF,
    scope: 'case',
    // The reporter reads their own case, not the suggestions of other people's cases.
    refused: 404,
    outside: 404,
    request: (c) => get(`/api/v1/cases/${c.case.id}/duplicates`),
  },
  'POST /api/v1/cases/{id}/actions': {
    who: ['resident', ...CASE_STAFF],
    scope: 'case',
    refused: 404,
    outside: 404,
    // A stale version: whoever may read the case learns it moved on (409), and nothing changes.
    ok: 409,
    request: (c) => ({
      method: 'POST',
      url: `/api/v1/cases/${c.case.id}/actions`,
      payload: { action: 'supervise', expected_version: 999, reason: '矩阵' },
    }),
  },
  // Following is open to any account on any case: a case's reference is public (the resident site).
  'POST /api/v1/cases/{id}/followers': {
    who: 'anyone',
    scope: 'none',
    ok: [200, 202],
    request: (c) => ({
      method: 'POST',
      url: `/api/v1/cases/${c.case.id}/followers`,
      payload: c.caller === 'anonymous' ? { email: `follower${c.n}@example.org` } : {},
    }),
  },
  'DELETE /api/v1/cases/{id}/followers': {
    who: 'signed_in',
    scope: 'none',
    request: (c) => ({ method: 'DELETE', url: `/api/v1/cases/${c.case.id}/followers` }),
  },
  'GET /api/v1/public/cases/{reference}': {
    who: 'anyone',
    scope: 'none',
    request: (c) => get(`/api/v1/public/cases/${enc(c.case.reference)}`),
  },
  'GET /api/v1/public/duplicates': {
    who: 'anyone',
    scope: 'none',
    request: () => get(`/api/v1/public/duplicates?lon=${IN_GRID.lon}&lat=${IN_GRID.lat}&category=SJ0102`),
  },
  // Only the reporter's key gives a verdict, whoever is signed in: a wrong key is refused for all.
  'POST /api/v1/public/cases/{reference}/verdict': {
    who: 'anyone',
    scope: 'none',
    ok: 403,
    request: (c) => ({
      method: 'POST',
      url: `/api/v1/public/cases/${enc(c.case.reference)}/verdict`,
      payload: { reporter_key: 'not-the-key', fixed: true, rating: 5 },
    }),
  },

  // One's own personal data (docs/personal-data.md): anyone signed in downloads theirs; only a
  // resident erases theirs (staff accounts are an administrator's); a report's key for the rest.
  'GET /api/v1/me/personal-data': {
    who: 'signed_in',
    scope: 'none',
    request: () => get('/api/v1/me/personal-data'),
  },
  'DELETE /api/v1/me/personal-data': {
    who: ['resident'],
    scope: 'none',
    request: async (c) => ({
      method: 'DELETE',
      url: '/api/v1/me/personal-data',
      headers: c.caller === 'resident' ? await erasableResident(c.n) : await freshSession(c.caller),
    }),
  },
  'POST /api/v1/public/cases/{reference}/personal-data': {
    who: 'anyone',
    scope: 'none',
    ok: 403,
    request: (c) => ({
      method: 'POST',
      url: `/api/v1/public/cases/${enc(c.case.reference)}/personal-data`,
      payload: { reporter_key: 'not-the-key' },
    }),
  },
  'POST /api/v1/public/cases/{reference}/personal-data/erase': {
    who: 'anyone',
    scope: 'none',
    ok: 403,
    request: (c) => ({
      method: 'POST',
      url: `/api/v1/public/cases/${enc(c.case.reference)}/personal-data/erase`,
      payload: { reporter_key: 'not-the-key' },
    }),
  },

  // Indicators: readers of the region subtree only.
  'GET /api/v1/indicators': {
    who: INDICATOR_READERS,
    scope: 'region',
    request: (c) => get(`/api/v1/indicators?region=${c.region}&${PERIOD}&min_sample=1`),
  },
  'GET /api/v1/indicators/cases': {
    who: INDICATOR_READERS,
    scope: 'region',
    request: (c) => get(`/api/v1/indicators/cases?region=${c.region}&${PERIOD}&count=cases`),
  },
  'GET /api/v1/indicators/overview': {
    who: INDICATOR_READERS,
    scope: 'region',
    request: (c) => get(`/api/v1/indicators/overview?region=${c.region}&${PERIOD}`),
  },
  'GET /api/v1/indicators/overview/cases': {
    who: INDICATOR_READERS,
    scope: 'region',
    request: (c) => get(`/api/v1/indicators/overview/cases?region=${c.region}&${PERIOD}&measure=cases`),
  },

  // Subscriptions: anyone may ask by mail; an account manages only its own.
  'POST /api/v1/subscriptions/areas': {
    who: 'anyone',
    scope: 'none',
    ok: [201, 202],
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/subscriptions/areas',
      payload:
        c.caller === 'anonymous'
          ? { region: '330106', email: `area${c.n}@example.org` }
          : { region: '330106' },
    }),
  },
  'DELETE /api/v1/subscriptions/areas/{id}': {
    who: 'signed_in',
    scope: 'own',
    // Someone else's subscription is answered as one that does not exist.
    outside: 404,
    request: async (c) => ({
      method: 'DELETE',
      url: `/api/v1/subscriptions/areas/${await areaSubscriptionOf(c.inScope ? c.caller : c.caller === 'county_centre' ? 'province_centre' : 'county_centre')}`,
    }),
  },
  'GET /api/v1/subscriptions': {
    who: 'signed_in',
    scope: 'none',
    request: () => get('/api/v1/subscriptions'),
  },
  // The mailed link's token is the authority, whoever sends it: a made-up token is refused for all.
  'POST /api/v1/subscriptions/confirm': {
    who: 'anyone',
    scope: 'none',
    ok: 400,
    request: () => ({ method: 'POST', url: '/api/v1/subscriptions/confirm', payload: { token: 'made-up' } }),
  },
  'POST /api/v1/subscriptions/unsubscribe': {
    who: 'anyone',
    scope: 'none',
    ok: 400,
    request: () => ({
      method: 'POST',
      url: '/api/v1/subscriptions/unsubscribe',
      payload: { token: 'made-up' },
    }),
  },

  // Attachments: the uploader, the reporter and staff who may read the case; anyone once it is public.
  'POST /api/v1/attachments': {
    who: 'anyone',
    scope: 'none',
    ok: 201,
    request: () => ({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { 'content-type': 'image/png' },
      payload: PNG,
    }),
  },
  'GET /api/v1/attachments/{id}': {
    who: ['resident', ...CASE_STAFF],
    scope: 'case',
    refused: 404,
    outside: 404,
    publicWhenCaseIs: true,
    request: (c) => get(`/api/v1/attachments/${c.case.photo}`),
  },
  'GET /api/v1/attachments/{id}/thumbnail': {
    who: ['resident', ...CASE_STAFF],
    scope: 'case',
    refused: 404,
    outside: 404,
    publicWhenCaseIs: true,
    request: (c) => get(`/api/v1/attachments/${c.case.photo}/thumbnail`),
  },

  // The taxonomy: command centres and administrators, for their region.
  'POST /api/v1/categories': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    ok: 201,
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/categories',
      payload: { region: c.region, parent_code: fixtures.parentCategory, name: `矩阵分类${c.n}` },
    }),
  },
  'PATCH /api/v1/categories/{code}': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    request: (c) => ({
      method: 'PATCH',
      url: `/api/v1/categories/${categoryOf(c.region)}`,
      payload: { region: c.region, name: `矩阵改名${c.n}` },
    }),
  },
  'DELETE /api/v1/categories/{code}': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    request: async (c) => ({
      method: 'DELETE',
      url: `/api/v1/categories/${await freshCategory(c)}?region=${c.region}`,
    }),
  },
  'POST /api/v1/categories/import': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/categories/import',
      payload: { region: c.region, under: 'SJ05', csv: `一级,二级\n矩阵导入${c.n},矩阵子类${c.n}\n` },
    }),
  },
  'PUT /api/v1/open311/services/{code}/definition': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    request: (c) => ({
      method: 'PUT',
      url: `/api/v1/open311/services/${categoryOf(c.region)}/definition`,
      payload: { attributes: [] },
    }),
  },

  // Grids, departments, users and Open311 keys: administrators, in their scope.
  'POST /api/v1/grids/import': {
    who: ['admin'],
    scope: 'region',
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/grids/import?replace=true',
      payload: collection(
        gridFeature(
          c.inScope ? SHANGBAO : places.huangpu,
          50 + (c.n % 40),
          square(c.inScope ? 120.3 : 121.6, 30.9),
        ),
      ),
    }),
  },
  'POST /api/v1/grids/{code}/workers': {
    who: ['admin'],
    scope: 'region',
    ok: 201,
    request: (c) => ({
      method: 'POST',
      url: `/api/v1/grids/${gridOf(c)}/workers`,
      payload: { worker_ref: `matrix${c.n}`, worker_name: '矩阵网格员' },
    }),
  },
  'DELETE /api/v1/grids/{code}/workers/{ref}': {
    who: ['admin'],
    scope: 'region',
    request: async (c) => ({
      method: 'DELETE',
      url: `/api/v1/grids/${gridOf(c)}/workers/${await gridWorkerOn(gridOf(c), c.n)}`,
    }),
  },
  'POST /api/v1/departments': {
    who: ['admin'],
    scope: 'region',
    ok: 201,
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/departments',
      // 西溪's community has no department of the kind yet (a region has each kind at most once).
      payload: {
        id: `dept-matrix-${c.n}`,
        name: `矩阵部门${c.n}`,
        type: 'urban_management',
        region: c.inScope ? places.xixi : c.region,
      },
    }),
  },
  'GET /api/v1/users': { who: ['admin'], scope: 'none', request: () => get('/api/v1/users?limit=5') },
  'POST /api/v1/users': {
    who: ['admin'],
    scope: 'region',
    ok: 201,
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        username: `matrix.${c.n}`,
        display_name: '矩阵用户',
        password: 'matrix-password-1',
        roles: ['grid_worker'],
        scope: c.region,
      },
    }),
  },
  'GET /api/v1/open311/keys': { who: ['admin'], scope: 'none', request: () => get('/api/v1/open311/keys') },
  'POST /api/v1/open311/keys': {
    who: ['admin'],
    scope: 'region',
    ok: 201,
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/open311/keys',
      payload: { label: `矩阵 ${c.n}`, rights: ['requests'], rate_per_minute: 10, region: c.region },
    }),
  },
  'PATCH /api/v1/open311/keys/{id}': {
    who: ['admin'],
    scope: 'region',
    request: (c) => ({
      method: 'PATCH',
      url: `/api/v1/open311/keys/${c.inScope ? fixtures.keyIn : fixtures.keyOut}`,
      payload: { label: `矩阵改 ${c.n}` },
    }),
  },
  'POST /api/v1/open311/keys/{id}/revoke': {
    who: ['admin'],
    scope: 'region',
    request: async (c) => ({ method: 'POST', url: `/api/v1/open311/keys/${await freshKey(c)}/revoke` }),
  },

  // Responsibility lists: centres and administrators edit and publish their region's.
  'POST /api/v1/responsibility/lists': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    // A draft is opened once; asking again answers the open one or says it is open.
    ok: [201, 409],
    request: (c) => ({ method: 'POST', url: '/api/v1/responsibility/lists', payload: { region: c.region } }),
  },
  'PUT /api/v1/responsibility/lists/{id}/content': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    request: async (c) => {
      const id = await draftFor(c);
      return {
        method: 'PUT',
        url: `/api/v1/responsibility/lists/${id}/content`,
        payload: await draftContent(id),
      };
    },
  },
  'POST /api/v1/responsibility/import': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    request: async (c) => ({
      method: 'POST',
      url: '/api/v1/responsibility/import',
      payload: {
        region: c.region,
        format: 'json',
        text: JSON.stringify(await draftContent(await draftFor(c))),
      },
    }),
  },
  'POST /api/v1/responsibility/lists/{id}/publish': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    request: async (c) => ({
      method: 'POST',
      url: `/api/v1/responsibility/lists/${await draftFor(c)}/publish`,
    }),
  },

  // The calendar: holiday years are national (administrators with the province); work periods per region.
  'POST /api/v1/calendar/years': {
    who: ['admin'],
    scope: 'none',
    request: () => ({
      method: 'POST',
      url: '/api/v1/calendar/years',
      payload: { year: 2040, notice: '矩阵测试', holidays: {}, makeupDays: [] },
    }),
  },
  'PUT /api/v1/calendar/work-periods': {
    who: TAXONOMY_EDITORS,
    scope: 'region',
    request: (c) => ({
      method: 'PUT',
      url: '/api/v1/calendar/work-periods',
      payload: { region: c.region, periods: null },
    }),
  },
};

// ---------------------------------------------------------------------------------------------
// Fixtures and request helpers
// ---------------------------------------------------------------------------------------------

let t: TestApp;
const clock = fixedClock('2026-03-02T10:00:00+08:00');
const tokens = new Map<Caller, string>();
const fixtures = {
  publishedList: '',
  parentCategory: 'SJ01',
  /** A category each region defined itself, by region code (taxonomy edits are the definer's). */
  categories: new Map<string, string>(),
  /** A draft responsibility list per county. */
  drafts: new Map<string, string>(),
  keyIn: '',
  keyOut: '',
};

const enc = encodeURIComponent;
const get = (url: string): Request => ({ method: 'GET', url });

/** 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

const countyOf = (region: string) => `${region.slice(0, 6)}000000`;

/**
 * A draft of the target county's list: in scope, the open draft (opened again once a call has
 * published it); out of scope, the draft opened before() in 上城区 or 黄浦区, which no caller may touch.
 */
async function draftFor(c: Call): Promise<string> {
  const county = countyOf(c.region);
  // A township's or community's neighbour lies in 西湖区 too: they are tried on 上城区's draft.
  if (!c.inScope) return fixtures.drafts.get(county) ?? fixtures.drafts.get(SHANGCHENG)!;
  const draft = await draftList({ store: t.store, clock, actor: SYSTEM }, { region: county });
  return draft.id;
}
const SYSTEM = { user_id: null, username: 'system' };
const categoryOf = (region: string) => fixtures.categories.get(countyOf(region)) ?? 'SJ0102';
const gridOf = (c: Call) => (c.inScope ? GRID_IN : places.huangpuGrid);

async function login(username: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password: 'demo' },
  });
  assert.equal(res.statusCode, 200, `${username}: ${res.body}`);
  return res.json().token as string;
}

async function headersOf(caller: Caller): Promise<Record<string, string>> {
  const username = CALLERS[caller].username;
  if (username === null) return {};
  let token = tokens.get(caller);
  if (!token) tokens.set(caller, (token = await login(username)));
  return { authorization: `Bearer ${token}` };
}

/**
 * A session of the caller's own for the call that ends it, written as logging in writes one
 * (src/accounts/log-in.ts) without the password's scrypt: twenty log-ins would be half the run.
 */
async function freshSession(
  caller: Caller,
  username = CALLERS[caller].username,
): Promise<Record<string, string>> {
  if (username === null) return {};
  const user = await t.store.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  const token = newToken();
  const now = clock.now();
  await t.store.db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      revoked_at: null,
      last_seen_at: now.toISOString(),
    })
    .execute();
  return { authorization: `Bearer ${token}` };
}

/** A resident account of its own, signed in: erasing one's data ends the account. */
async function erasableResident(n: number): Promise<Record<string, string>> {
  const resident = await t.store.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', 'resident')
    .executeTakeFirstOrThrow();
  const username = `erasable-${n}`;
  await t.store.db
    .insertInto('users')
    .values({ ...resident, id: `u-erasable-${n}`, username, roles: JSON.stringify(['resident']) })
    .execute();
  return freshSession('resident', username);
}

async function send(caller: Caller, request: Request): Promise<LightMyRequestResponse> {
  const headers = { ...(await headersOf(caller)), ...request.headers };
  return t.app.inject({ ...request, headers } as InjectOptions);
}

async function ok(caller: Caller, request: Request, status = 200): Promise<Json> {
  const res = await send(caller, request);
  assert.equal(res.statusCode, status, `${caller} ${request.method ?? 'GET'} ${request.url}: ${res.body}`);
  return res.json();
}

/** An area subscription of the caller's own account, made for the call that removes it. */
async function areaSubscriptionOf(caller: Caller): Promise<string> {
  if (CALLERS[caller].username === null) return NO_SUCH_CASE;
  const body = await ok(
    caller,
    { method: 'POST', url: '/api/v1/subscriptions/areas', payload: { region: '330106' } },
    201,
  );
  return String(body.id ?? body.subscription?.id);
}

/** A childless category the target region defined, for the call that removes it. */
async function freshCategory(c: Call): Promise<string> {
  const added = await addCategory(
    { store: t.store, clock },
    { region: c.region, parent_code: fixtures.parentCategory, name: `矩阵待删${c.n}` },
  ).catch(() => null);
  return added?.code ?? 'SJ0102';
}

async function gridWorkerOn(grid: string, n: number): Promise<string> {
  await ok(
    'admin',
    {
      method: 'POST',
      url: `/api/v1/grids/${grid}/workers`,
      payload: { worker_ref: `leaving${n}`, worker_name: '矩阵离岗' },
    },
    201,
  ).catch(() => undefined);
  return `leaving${n}`;
}

async function freshKey(c: Call): Promise<string> {
  const key = await issueApiKey(
    { db: t.store.db, clock, actor: { user_id: null, username: 'system' } },
    {
      label: `矩阵吊销 ${c.n}`,
      rights: ['requests'],
      rate_per_minute: 10,
      region: c.inScope ? XIHU : HUANGPU,
    },
  );
  return key.id;
}

async function draftContent(id: string): Promise<Json> {
  const res = await t.app.inject({ url: `/api/v1/responsibility/lists/${id}` });
  if (res.statusCode !== 200) return { entries: [] };
  const list = res.json();
  return {
    entries: list.entries,
    ...(list.township_duties ? { township_duties: list.township_duties } : {}),
  };
}

async function firstCommunity(region: string): Promise<string> {
  let code = region;
  for (;;) {
    const res = await t.app.inject({ url: `/api/v1/regions/${code}/children` });
    const children = res.json().children as Json[];
    if (children.length === 0) return code;
    code = children[0]!.code as string;
  }
}

async function report(name: CaseName, location: Json, as: Caller = 'anonymous', category?: string) {
  const r = REPORTERS[name];
  const photo = await ok(
    as,
    { method: 'POST', url: '/api/v1/attachments', headers: { 'content-type': 'image/png' }, payload: PNG },
    201,
  );
  const body = await ok(
    as,
    {
      method: 'POST',
      url: '/api/v1/cases',
      payload: {
        channel: 'web',
        ...(category ? { category } : {}),
        title: r.title,
        description: r.description,
        location,
        photos: [photo.url],
        reporter: { name: r.name, phone: r.phone },
      },
    },
    201,
  );
  cases[name] = { id: body.id, reference: body.reference, public: false, photo: photo.id };
}

async function step(name: CaseName, payload: Json): Promise<void> {
  const { version } = await ok('county_centre', get(`/api/v1/cases/${cases[name].id}`));
  await ok('county_centre', {
    method: 'POST',
    url: `/api/v1/cases/${cases[name].id}/actions`,
    payload: { ...payload, expected_version: version },
  });
}

before(async () => {
  t = await makeTestApp(
    async (store) => {
      await seedXihu(store, clock);
      await loadCounty(store, '330102');
      await loadCounty(store, '310101');
      await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
      // The demo has no city centre and no analyst: one each, as an administrator would add them.
      for (const [username, role, scope] of [
        ['city.center', 'city_centre', '3301'],
        ['analyst', 'analyst', '330106'],
      ] as const) {
        await createUser(
          { db: store.db, clock, actor: null },
          { username, display_name: username, password: 'demo', roles: [role], scope, department_id: null },
          { allowShortPassword: true },
        );
      }
      await importGrids({ store, clock }, collection(gridFeature(SHANGBAO, 1, square(120.1, 30.2))));
    },
    { clock },
  );
  places.xixi = await firstCommunity('330106004');
  places.shangcheng = await firstCommunity('330102');
  places.huangpu = await firstCommunity('310101');
  // A grid of 黄浦区, for the administrator of 浙江 to be refused.
  await importGrids(
    { store: t.store, clock },
    collection(gridFeature(places.huangpu, 1, square(121.48, 31.22))),
  );
  places.huangpuGrid = `${places.huangpu}01`;

  await report('A', IN_GRID, 'resident', 'SJ0102');
  await report('M', IN_GRID, 'anonymous', 'SJ0102');
  await report('T', { address: '西溪路 1 号', region: places.xixi }, 'anonymous', 'SJ0102');
  await report('C', { address: '上城路 1 号', region: places.shangcheng }, 'anonymous', 'SJ0102');
  await report('P', { address: '黄浦路 1 号', region: places.huangpu });
  await step('A', { action: 'register' });
  await step('A', { action: 'dispatch' });
  await step('M', { action: 'register' });
  await step('M', { action: 'dispatch', department_id: MARKET, reason: '无照经营归市场监管' });
  cases.A.public = cases.M.public = true;
  assert.equal((await ok('county_centre', get(`/api/v1/cases/${cases.A.id}`))).owner_department_id, URBAN);
  assert.equal((await ok('county_centre', get(`/api/v1/cases/${cases.M.id}`))).owner_department_id, MARKET);

  fixtures.publishedList = (
    await ok('anonymous', get('/api/v1/responsibility/lists?region=330106'))
  ).items.find((l: Json) => l.status === 'published').id;
  for (const region of [XIHU, SHANGCHENG]) {
    const added = await addCategory(
      { store: t.store, clock },
      { region, parent_code: fixtures.parentCategory, name: `矩阵自定 ${region}` },
    );
    fixtures.categories.set(region, added.code);
  }
  // 上海 has no taxonomy of 浙江's: a top-level category of its own (made inner by a leaf of its
  // own, so that a county may add under it), and a leaf of 黄浦区 under it.
  const shanghai = await addCategory(
    { store: t.store, clock },
    { region: '31', parent_code: null, name: '矩阵上海' },
  );
  await addCategory(
    { store: t.store, clock },
    { region: '31', parent_code: shanghai.code, name: '矩阵上海子类' },
  );
  const huangpuLeaf = await addCategory(
    { store: t.store, clock },
    { region: HUANGPU, parent_code: shanghai.code, name: '矩阵黄浦' },
  );
  fixtures.categories.set(HUANGPU, huangpuLeaf.code);
  // Drafts of the lists out of some callers' scope.
  for (const region of [SHANGCHENG, HUANGPU]) {
    fixtures.drafts.set(region, (await draftList({ store: t.store, clock, actor: SYSTEM }, { region })).id);
  }
  for (const [field, region] of [
    ['keyIn', XIHU],
    ['keyOut', HUANGPU],
  ] as const) {
    const key = await issueApiKey(
      { db: t.store.db, clock, actor: { user_id: null, username: 'system' } },
      { label: `矩阵 ${field}`, rights: ['requests'], rate_per_minute: 10, region },
    );
    fixtures[field] = key.id;
  }
});
after(() => t?.close());

// ---------------------------------------------------------------------------------------------
// The registry against the table
// ---------------------------------------------------------------------------------------------

const API_ROUTES = Object.keys(TABLE).sort();
const MATRIX_SIZE = `${API_ROUTES.length} routes × ${CALLER_NAMES.length} callers (${ROLES.length} roles + anonymous) × 2 targets (in scope, out of scope) = ${API_ROUTES.length * CALLER_NAMES.length * 2} requests`;

test('every role has a caller in the matrix, and every caller is a role or anonymous', () => {
  assert.deepEqual(
    CALLER_NAMES.filter((c) => c !== 'anonymous').sort(),
    [...ROLES].sort(),
    'a role without an account in CALLERS (or a caller that is no role)',
  );
});

test('every /api/v1 route the app serves has a row in the table, and every row is a route the app serves', async () => {
  const { documented, registered } = await servedRoutes(t.app);
  const served = [...new Set([...documented, ...registered])]
    .filter((r) => r.split(' ')[1]!.startsWith('/api/v1/'))
    .sort();
  const missing = served.filter((r) => !(r in TABLE));
  const stale = API_ROUTES.filter((r) => !served.includes(r));
  assert.deepEqual(missing, [], `routes without expectations in TABLE: ${missing.join(', ')}`);
  assert.deepEqual(stale, [], `rows of TABLE for routes that no longer exist: ${stale.join(', ')}`);
});

// ---------------------------------------------------------------------------------------------
// Rows: lists, search, the export and the indicators (before the matrix, which adds cases)
// ---------------------------------------------------------------------------------------------

const FIXTURES = Object.keys(REPORTERS) as CaseName[];
const SIGNED_IN = CALLER_NAMES.filter((c) => c !== 'anonymous');

/** The fixture cases among the answer's case ids or references. */
function fixturesIn(found: Iterable<string>): CaseName[] {
  const seen = new Set(found);
  return FIXTURES.filter((name) => seen.has(cases[name].id) || seen.has(cases[name].reference));
}

async function exportedReferences(caller: Caller, query: string): Promise<string[]> {
  const res = await send(caller, get(`/api/v1/cases/export.xlsx?${query}`));
  assert.equal(res.statusCode, 200, `${caller} export: ${res.body.slice(0, 200)}`);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const values: string[] = [];
  book.worksheets[0]!.eachRow((row) => row.eachCell((cell) => void values.push(String(cell.value))));
  return values;
}

test('lists, text search (q=) and the Excel export show each caller exactly the cases it may read, and count no other', async () => {
  for (const caller of SIGNED_IN) {
    const readable = READABLE[caller] === 'refused' ? [] : READABLE[caller];
    const { outCase } = CALLERS[caller];
    // Everything, every fixture by the word their titles share, and the out-of-scope case by its own title.
    for (const [query, wanted] of [
      ['limit=200', readable],
      [`q=${enc(SEARCH_WORD)}&limit=200`, readable],
      [`q=${enc(REPORTERS[outCase].title)}`, []],
    ] as const) {
      const body = await ok(caller, get(`/api/v1/cases?${query}`));
      const listed = (body.items as Json[]).map((c) => c.id as string);
      assert.deepEqual(fixturesIn(listed), wanted, `${caller} GET /api/v1/cases?${query}`);
      // Only fixture cases exist yet: the total counts exactly the rows the caller may see.
      assert.equal(body.total, listed.length, `${caller} total of ${query}`);
    }
    // Asking for the region of a case out of scope narrows the caller's cases, never widens them.
    const region = (await ok('province_centre', get(`/api/v1/cases/${cases.C.id}`))).region as string;
    const narrowed = await send(caller, get(`/api/v1/cases?region=${region}&limit=200`));
    if (narrowed.statusCode === 200) {
      const ids = (narrowed.json().items as Json[]).map((c) => c.id as string);
      assert.deepEqual(
        fixturesIn(ids),
        readable.filter((n) => n === 'C'),
        `${caller} region=${region}`,
      );
    } else {
      assert.equal(narrowed.statusCode, 403, `${caller} region=${region}: ${narrowed.body}`);
    }
    const exported = await exportedReferences(caller, `q=${enc(SEARCH_WORD)}`);
    assert.deepEqual(fixturesIn(exported), readable, `${caller} export.xlsx?q=${SEARCH_WORD}`);
  }
  // The other department: 市场监管 sees its own case and not 城管's.
  const market = await login('dept.market');
  const res = await t.app.inject({
    url: '/api/v1/cases?limit=200',
    headers: { authorization: `Bearer ${market}` },
  });
  assert.deepEqual(fixturesIn((res.json().items as Json[]).map((c) => c.id as string)), ['M']);
});

/** The fixture cases each region subtree holds, as the indicators must count them. */
const IN_REGION: Record<string, readonly CaseName[]> = {
  [XIHU]: ['A', 'M', 'T'],
  [BEISHAN]: ['A', 'M'],
  [SHANGBAO]: ['A', 'M'],
};

test('indicators, their drill-downs and the overview count and list only the cases of the region asked for, in scope', async () => {
  for (const caller of INDICATOR_READERS) {
    const region = CALLERS[caller].inRegion();
    const want = IN_REGION[region]!;
    const at = `region=${region}&${PERIOD}`;
    const indicators = await ok(caller, get(`/api/v1/indicators?${at}&min_sample=1`));
    assert.equal(indicators.counts.cases, want.length, `${caller} indicators of ${region}`);
    const behind = await ok(caller, get(`/api/v1/indicators/cases?${at}&count=cases&limit=1000`));
    assert.equal(behind.total, want.length, `${caller} indicators/cases total`);
    assert.deepEqual(
      fixturesIn((behind.items as Json[]).map((c) => c.id as string)),
      want,
      `${caller} indicators/cases`,
    );
    const overview = await ok(caller, get(`/api/v1/indicators/overview?${at}`));
    assert.equal(overview.totals.cases, want.length, `${caller} overview of ${region}`);
    const listed = await ok(caller, get(`/api/v1/indicators/overview/cases?${at}&measure=cases&limit=1000`));
    assert.equal(listed.total, want.length, `${caller} overview/cases total`);
    assert.deepEqual(
      fixturesIn((listed.items as Json[]).map((c) => c.id as string)),
      want,
      `${caller} overview/cases`,
    );
  }
});

test('no aggregate carries a reporter’s name, phone, address or words', async () => {
  const personal = FIXTURES.flatMap((n) => [
    REPORTERS[n].name,
    REPORTERS[n].phone,
    REPORTERS[n].title,
    REPORTERS[n].description,
  ]).concat(['西溪路', '上城路', '黄浦路']);
  const urls = (region: string) => [
    `/api/v1/indicators?region=${region}&${PERIOD}&min_sample=1`,
    `/api/v1/indicators/cases?region=${region}&${PERIOD}&count=cases&limit=1000`,
    `/api/v1/indicators/overview?region=${region}&${PERIOD}&min_sample=1`,
    ...['cases', 'open', 'overdue'].map(
      (m) => `/api/v1/indicators/overview/cases?region=${region}&${PERIOD}&measure=${m}&limit=1000`,
    ),
  ];
  for (const [caller, region] of [
    ['county_centre', XIHU],
    ['province_centre', '330000000000'],
    ['analyst', XIHU],
    ['community_handler', SHANGBAO],
  ] as const) {
    for (const url of urls(region)) {
      const res = await send(caller, get(url));
      assert.equal(res.statusCode, 200, `${caller} ${url}: ${res.body}`);
      const leaked = personal.filter((p) => res.body.includes(p));
      assert.deepEqual(leaked, [], `${caller} ${url} names a reporter or their words`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

/** What the table says this caller gets on this target. */
function expected(row: Row, caller: Caller, inScope: boolean, target: StoredCase): readonly number[] {
  const okStatuses = row.ok === undefined ? [200] : typeof row.ok === 'number' ? [row.ok] : row.ok;
  if (row.publicWhenCaseIs && target.public) return okStatuses;
  if (row.who === 'anyone') return okStatuses;
  if (caller === 'anonymous') return [row.anonymous ?? (row.publicWhenCaseIs ? (row.refused ?? 401) : 401)];
  if (row.who !== 'signed_in' && !row.who.includes(caller)) return [row.refused ?? 403];
  if (!inScope && row.scope !== 'none') return [row.outside ?? 403];
  return okStatuses;
}

/** The error as a stranger sees it, with the id it asked for taken out. */
function errorShape(res: LightMyRequestResponse, id: string): string {
  return `${res.statusCode} ${res.body.split(id).join('<id>')}`;
}

test(`authorization matrix: ${MATRIX_SIZE}`, async () => {
  const failures: string[] = [];
  let n = 0;
  let calls = 0;
  for (const route of API_ROUTES) {
    const row = TABLE[route]!;
    for (const caller of CALLER_NAMES) {
      const scope = CALLERS[caller];
      for (const inScope of [true, false]) {
        n += 1;
        const target = cases[inScope ? scope.inCase : scope.outCase];
        const call: Call = {
          caller,
          inScope,
          case: target,
          region: inScope ? scope.inRegion() : scope.outRegion(),
          n,
        };
        const res = await send(caller, await row.request(call));
        calls += 1;
        const want = expected(row, caller, inScope, target);
        if (!want.includes(res.statusCode)) {
          failures.push(
            `${route} as ${caller} ${inScope ? 'in' : 'out of'} scope: ${res.statusCode}, expected ${want.join(' or ')} — ${res.body.slice(0, 200)}`,
          );
          continue;
        }
        // "Not yours" must read exactly as "there is none": same status, same body.
        if (row.scope === 'case' && want.some((s) => s === 403 || s === 404) && !want.includes(200)) {
          const missing = await send(
            caller,
            await row.request({
              ...call,
              case: { ...target, id: NO_SUCH_CASE, photo: NO_SUCH_CASE, reference: NO_SUCH_CASE },
            }),
          );
          const idOf = route.includes('attachments') ? target.photo : target.id;
          if (errorShape(res, idOf) !== errorShape(missing, NO_SUCH_CASE)) {
            failures.push(
              `${route} as ${caller} ${inScope ? 'in' : 'out of'} scope tells an existing case from a missing one: ${errorShape(res, idOf)} vs ${errorShape(missing, NO_SUCH_CASE)}`,
            );
          }
        }
      }
    }
  }
  assert.equal(calls, API_ROUTES.length * CALLER_NAMES.length * 2, MATRIX_SIZE);
  assert.deepEqual(
    failures,
    [],
    `${failures.length} of ${MATRIX_SIZE} answered otherwise:\n${failures.join('\n')}`,
  );
});
