import { DomainError } from '../errors.ts';
import type { Decision } from './permissions.ts';
import type { Actor } from './roles.ts';

/**
 * The statutory holiday years are national: they change every region's deadlines at once. There is
 * no national scope, so only an administrator whose scope is a whole province (the top of the
 * region tree) may load them; a province centre edits its own work periods but not the holidays.
 */
export function decideNationalCalendar(actor: Actor): Decision {
  if (!actor.roles.includes('admin')) {
    return {
      allowed: false,
      reason: 'access.role_forbidden',
      details: { action: 'calendar.edit', roles: actor.roles.join(', ') },
    };
  }
  if (actor.scope.level !== 'province') {
    return {
      allowed: false,
      reason: 'access.out_of_scope',
      details: { action: 'calendar.edit', region: '全国 / national', scope: actor.scope.code },
    };
  }
  return { allowed: true };
}

export function assertMayEditNationalCalendar(actor: Actor): void {
  const decision = decideNationalCalendar(actor);
  if (!decision.allowed) throw new DomainError(decision.reason, decision.details);
}
