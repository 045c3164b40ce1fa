import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskIdNumber, maskName, maskPhone } from '../../src/core/access/masking.ts';
import {
  ACTIONS,
  allowedActions,
  assertAllowed,
  decide,
  GRANTS,
  type Resource,
} from '../../src/core/access/permissions.ts';
import { ROLES, type Actor, type Role } from '../../src/core/access/roles.ts';
import type { RegionLevel } from '../../src/core/regions/codes.ts';

function actor(roles: Role[], scope: string, level: RegionLevel, department_id: string | null = null): Actor {
  return { user_id: 'u', username: 'u', roles, scope: { code: scope, level }, department_id };
}

const XIHU = '330106000000';
const BEISHAN_COMMUNITY = '330106002051';
const SHANGCHENG = '330102001001';
const URBAN = 'dept-330106-urban';
const MARKET = 'dept-330106-market';

const deptUrban = actor(['department_handler'], XIHU, 'county', URBAN);
const urbanCase: Resource = { region_code: BEISHAN_COMMUNITY, department_id: URBAN };

test('a 西湖区 城管 handler may act on a 西湖区 case that 城管 owns', () => {
  assert.deepEqual(decide(deptUrban, 'case.act', urbanCase), { allowed: true });
  assert.equal(decide(deptUrban, 'case.read_personal_data', urbanCase).allowed, true);
});

test('a 西湖区 城管 handler may not act on a 市场监管 case: wrong department', () => {
  const decision = decide(deptUrban, 'case.act', { region_code: BEISHAN_COMMUNITY, department_id: MARKET });
  assert.equal(decision.allowed, false);
  assert.equal(!decision.allowed && decision.reason, 'access.wrong_department');
  assert.deepEqual(!decision.allowed && decision.details, {
    action: 'case.act',
    department: MARKET,
    actor_department: URBAN,
  });
});

test('a 西湖区 城管 handler may not act on another county’s case: out of scope', () => {
  const decision = decide(deptUrban, 'case.act', { region_code: SHANGCHENG, department_id: URBAN });
  assert.equal(!decision.allowed && decision.reason, 'access.out_of_scope');
  assert.deepEqual(!decision.allowed && decision.details, {
    action: 'case.act',
    region: SHANGCHENG,
    scope: XIHU,
  });
});

test('a department handler may not act on a case no department owns yet', () => {
  const decision = decide(deptUrban, 'case.act', { region_code: BEISHAN_COMMUNITY, department_id: null });
  assert.equal(!decision.allowed && decision.reason, 'access.wrong_department');
});

test('command centres act within their region subtree, and only there', () => {
  const county = actor(['county_centre'], XIHU, 'county');
  assert.equal(decide(county, 'case.act', urbanCase).allowed, true);
  assert.equal(decide(county, 'case.supervise', { region_code: BEISHAN_COMMUNITY }).allowed, true);
  const outside = decide(county, 'case.act', { region_code: SHANGCHENG });
  assert.equal(!outside.allowed && outside.reason, 'access.out_of_scope');
  const province = actor(['province_centre'], '330000000000', 'province');
  assert.equal(decide(province, 'case.arbitrate', { region_code: SHANGCHENG }).allowed, true);
  assert.equal(decide(province, 'responsibility.publish', { region_code: XIHU }).allowed, true);
});

test('analysts read aggregates only and never personal data, anywhere', () => {
  const analyst = actor(['analyst'], '330000000000', 'province');
  assert.equal(decide(analyst, 'indicators.read', { region_code: XIHU }).allowed, true);
  for (const action of ['case.read', 'case.act', 'case.read_personal_data'] as const) {
    const decision = decide(analyst, action, urbanCase);
    assert.equal(!decision.allowed && decision.reason, 'access.role_forbidden', action);
  }
  assert.deepEqual(allowedActions(analyst, urbanCase), ['region.read', 'indicators.read']);
});

test('only those who act on cases are granted personal data', () => {
  const withPersonalData = ROLES.filter((r) => GRANTS[r].includes('case.read_personal_data'));
  assert.ok(!withPersonalData.includes('analyst'));
  assert.ok(!withPersonalData.includes('admin'));
  assert.ok(!withPersonalData.includes('resident'));
  assert.ok(withPersonalData.every((r) => GRANTS[r].includes('case.act')));
});

test('administrators manage users within their scope; other roles may not', () => {
  const admin = actor(['admin'], '330000000000', 'province');
  assert.equal(decide(admin, 'user.manage', { region_code: XIHU }).allowed, true);
  const townshipAdmin = actor(['admin'], '330106002000', 'township');
  const far = decide(townshipAdmin, 'user.manage', { region_code: XIHU });
  assert.equal(!far.allowed && far.reason, 'access.out_of_scope');
  const denied = decide(deptUrban, 'user.manage', { region_code: XIHU });
  assert.equal(!denied.allowed && denied.reason, 'access.role_forbidden');
  assert.throws(
    () => assertAllowed(deptUrban, 'user.manage', { region_code: XIHU }),
    (e: { code?: string }) => e.code === 'access.role_forbidden',
  );
});

test('residents report anywhere but read no case records', () => {
  const resident = actor(['resident'], BEISHAN_COMMUNITY, 'community');
  assert.equal(decide(resident, 'case.create', { region_code: SHANGCHENG }).allowed, true);
  assert.equal(decide(resident, 'case.read', { region_code: BEISHAN_COMMUNITY }).allowed, false);
});

test('with several roles, any role allowing it is enough; the most specific refusal explains a no', () => {
  const both = actor(['analyst', 'department_handler'], XIHU, 'county', URBAN);
  assert.equal(decide(both, 'case.act', urbanCase).allowed, true);
  const market = decide(both, 'case.act', { region_code: BEISHAN_COMMUNITY, department_id: MARKET });
  assert.equal(!market.allowed && market.reason, 'access.wrong_department');
});

test('allowedActions lists exactly the actions decide allows, in ACTIONS order', () => {
  const grid = actor(['grid_worker'], BEISHAN_COMMUNITY, 'community');
  const allowed = allowedActions(grid, { region_code: BEISHAN_COMMUNITY });
  assert.deepEqual(
    allowed,
    ACTIONS.filter((a) => decide(grid, a, { region_code: BEISHAN_COMMUNITY }).allowed),
  );
  assert.ok(allowed.includes('case.act'));
  assert.ok(!allowed.includes('case.dispatch'));
});

test('community handlers dispatch in their community (PRODUCT.md: triage, register, dispatch)', () => {
  const community = actor(['community_handler'], BEISHAN_COMMUNITY, 'community');
  assert.equal(decide(community, 'case.dispatch', { region_code: BEISHAN_COMMUNITY }).allowed, true);
});

test('masking keeps the shape and hides the middle', () => {
  assert.equal(maskPhone('13800138000'), '138****8000');
  assert.equal(maskPhone('138 0013 8000'), '138****8000');
  assert.equal(maskName('张三丰'), '张**');
  assert.equal(maskName('李四'), '李*');
  assert.equal(maskName('王'), '*');
  assert.equal(maskIdNumber('33010619900101123X'), '330***********123X');
});
