import { DomainError } from '../errors.ts';
import { isWithin } from '../regions/codes.ts';
import type { Actor, Role } from './roles.ts';

/** Everything an actor may be allowed to do, now and for the case workflow to come. */
export const ACTIONS = [
  'region.read',
  'grid.read',
  'grid.edit',
  'taxonomy.edit',
  'responsibility.edit',
  'responsibility.publish',
  'department.edit',
  'user.manage',
  'calendar.edit',
  'audit.read',
  'case.create',
  'case.read',
  'case.act',
  'case.dispatch',
  'case.supervise',
  'case.arbitrate',
  'case.read_personal_data',
  'indicators.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What an action applies to: plain data, so that the rules stay pure. */
export interface Resource {
  /** 12-digit code of the region the thing belongs to (a case's region, a new user's scope). */
  region_code: string;
  /** The department that owns the thing (a case's current owner), when any. */
  department_id?: string | null;
}

export type DenialReason = 'access.out_of_scope' | 'access.wrong_department' | 'access.role_forbidden';

export type Decision =
  { allowed: true } | { allowed: false; reason: DenialReason; details: Record<string, unknown> };

const CASE_WORK = ['case.create', 'case.read', 'case.act', 'case.read_personal_data'] as const;
const CENTRE: readonly Action[] = [
  'region.read',
  'grid.read',
  ...CASE_WORK,
  'case.dispatch',
  'case.supervise',
  'case.arbitrate',
  'taxonomy.edit',
  'responsibility.edit',
  'responsibility.publish',
  'calendar.edit',
  'indicators.read',
];

/**
 * The permission table: which role may do what. Everything is limited to the actor's region
 * subtree except the actions in UNSCOPED; a department handler's case actions are further limited
 * to cases its department owns (DEPARTMENT_BOUND). Personal data (case.read_personal_data) goes
 * only to those who act on the case: never to analysts, and not to administrators.
 */
export const GRANTS: Record<Role, readonly Action[]> = {
  resident: ['region.read', 'case.create'],
  grid_worker: ['region.read', 'grid.read', ...CASE_WORK],
  // PRODUCT.md: community and township handlers triage, register or reject, and dispatch.
  community_handler: ['region.read', 'grid.read', ...CASE_WORK, 'case.dispatch', 'indicators.read'],
  township_handler: ['region.read', 'grid.read', ...CASE_WORK, 'case.dispatch', 'indicators.read'],
  department_handler: ['region.read', 'case.read', 'case.act', 'case.read_personal_data', 'indicators.read'],
  county_centre: CENTRE,
  city_centre: CENTRE,
  province_centre: CENTRE,
  analyst: ['region.read', 'indicators.read'],
  admin: [
    'region.read',
    'grid.read',
    'grid.edit',
    'taxonomy.edit',
    'responsibility.edit',
    'responsibility.publish',
    'department.edit',
    'user.manage',
    'calendar.edit',
    'audit.read',
    'indicators.read',
  ],
};

/** Public facts: anyone with the action may do it anywhere (residents report wherever they are). */
const UNSCOPED: readonly Action[] = ['region.read', 'case.create'];

const DEPARTMENT_BOUND: Partial<Record<Role, readonly Action[]>> = {
  department_handler: ['case.read', 'case.act', 'case.read_personal_data'],
};

/**
 * Whether the role's permission for this action is limited to things its department owns: list
 * queries turn it into a department condition instead of deciding row by row.
 */
export function isDepartmentBound(role: Role, action: Action): boolean {
  return DEPARTMENT_BOUND[role]?.includes(action) ?? false;
}

// How far a role got before it was refused: the most specific reason wins across several roles.
const SPECIFICITY: Record<DenialReason, number> = {
  'access.role_forbidden': 0,
  'access.out_of_scope': 1,
  'access.wrong_department': 2,
};

function decideForRole(actor: Actor, role: Role, action: Action, resource: Resource): Decision {
  if (!GRANTS[role].includes(action)) {
    return {
      allowed: false,
      reason: 'access.role_forbidden',
      details: { action, roles: actor.roles.join(', ') },
    };
  }
  if (!UNSCOPED.includes(action) && !isWithin(resource.region_code, actor.scope.code, actor.scope.level)) {
    return {
      allowed: false,
      reason: 'access.out_of_scope',
      details: { action, region: resource.region_code, scope: actor.scope.code },
    };
  }
  if (DEPARTMENT_BOUND[role]?.includes(action) && resource.department_id !== actor.department_id) {
    return {
      allowed: false,
      reason: 'access.wrong_department',
      details: {
        action,
        department: resource.department_id ?? '-',
        actor_department: actor.department_id ?? '-',
      },
    };
  }
  return { allowed: true };
}

/**
 * May this actor do this action on this resource? Allowed when any of the actor's roles allows it;
 * otherwise the most specific refusal (wrong department, then out of scope, then role) explains it.
 *
 * ```ts
 * decide(deptUrban, 'case.act', { region_code: '330106002051', department_id: 'dept-330106-market' })
 * // → { allowed: false, reason: 'access.wrong_department', details: { … } }
 * ```
 */
export function decide(actor: Actor, action: Action, resource: Resource): Decision {
  let refusal: Decision | undefined;
  for (const role of actor.roles) {
    const decision = decideForRole(actor, role, action, resource);
    if (decision.allowed) return decision;
    if (!refusal || (!refusal.allowed && SPECIFICITY[decision.reason] > SPECIFICITY[refusal.reason])) {
      refusal = decision;
    }
  }
  return refusal ?? { allowed: false, reason: 'access.role_forbidden', details: { action, roles: '' } };
}

/** The actions this actor may take on this resource, for the API to send beside the resource. */
export function allowedActions(actor: Actor, resource: Resource): Action[] {
  return ACTIONS.filter((action) => decide(actor, action, resource).allowed);
}

/** Throws the refusal as a DomainError (the HTTP edge makes it a 403 in Chinese and English). */
export function assertAllowed(actor: Actor, action: Action, resource: Resource): void {
  const decision = decide(actor, action, resource);
  if (!decision.allowed) throw new DomainError(decision.reason, decision.details);
}
