import { decide, type Resource } from '../access/permissions.ts';
import type { Actor, Role } from '../access/roles.ts';
import { isAwaitingReportIn, type ActorUnit, type CaseSnapshot } from './case-snapshot.ts';
import { blockedBy, type StateCheck } from './preconditions.ts';
import { PARTY_ROLES, TRANSITIONS, type ActionName, type Party } from './transitions.ts';

/** Whether the actor plays this part on this case; returns the role they play it in. */
export function partyRole(
  snapshot: CaseSnapshot,
  actor: Actor,
  unit: ActorUnit,
  party: Party,
): Role | undefined {
  const role = actor.roles.find((r) => PARTY_ROLES[party].includes(r));
  if (!role) return undefined;
  switch (party) {
    case 'dispatcher':
    case 'centre':
    case 'verifier':
    case 'grid_worker':
    case 'whistler':
      return role;
    case 'owner':
      return unit !== null && unit === snapshot.owner_department_id
        ? actor.roles.find((r) => PARTY_ROLES.owner.includes(r))
        : undefined;
    case 'task_holder':
      return snapshot.tasks.some((t) => t.department_id === unit && t.role !== 'lead' && t.status === 'open')
        ? role
        : undefined;
    case 'summoned':
      return snapshot.tasks.some((t) => t.department_id === unit && isAwaitingReportIn(t)) ? role : undefined;
    case 'reporter':
      return (snapshot.reporter_user_id !== null && snapshot.reporter_user_id === actor.user_id) ||
        actor.reporter_of === snapshot.id
        ? role
        : undefined;
  }
}

/** The first party of the action the actor plays, with the role they play it in. */
export function actingParty(
  snapshot: CaseSnapshot,
  actor: Actor,
  unit: ActorUnit,
  action: ActionName,
): { party: Party; role: Role } | undefined {
  for (const party of TRANSITIONS[action].parties as readonly Party[]) {
    const role = partyRole(snapshot, actor, unit, party);
    if (role) return { party, role };
  }
  return undefined;
}

/**
 * The resource a permission is checked on: the case's region, and the department the actor acts
 * for when it owns the case or holds a task of it (a department handler may act only so).
 */
export function caseResource(snapshot: CaseSnapshot, unit: ActorUnit): Resource {
  const involved =
    unit !== null &&
    (unit === snapshot.owner_department_id || snapshot.tasks.some((t) => t.department_id === unit));
  return {
    region_code: snapshot.region_code,
    department_id: involved ? unit : snapshot.owner_department_id,
  };
}

/** Whether the actor's permissions (permissions.ts) allow the action's permission on this case. */
export function permits(snapshot: CaseSnapshot, actor: Actor, unit: ActorUnit, action: ActionName) {
  const permission = TRANSITIONS[action].permission;
  if (permission === null) return { allowed: true } as const;
  return decide(actor, permission, caseResource(snapshot, unit));
}

/**
 * The actions this actor may take on the case now: the stage allows it, the actor plays one of its
 * parties, the case's state meets the action's rules (preconditions.ts; the reopen window only
 * when `check.now` is given) and the permissions agree. Inputs (a reason, evidence) are not judged
 * here. The API's allowed_actions and the demo history both choose from this list.
 */
export function availableActions(
  snapshot: CaseSnapshot,
  actor: Actor,
  unit: ActorUnit,
  check: StateCheck = {},
): ActionName[] {
  return (Object.keys(TRANSITIONS) as ActionName[]).filter((action) => {
    if (!(TRANSITIONS[action].from as readonly string[]).includes(snapshot.stage)) return false;
    const acting = actingParty(snapshot, actor, unit, action);
    return (
      acting !== undefined &&
      blockedBy(snapshot, action, { party: acting.party, unit }, check) === undefined &&
      permits(snapshot, actor, unit, action).allowed
    );
  });
}
