import type { ActorUnit, CaseSnapshot } from './case-snapshot.ts';
import type { ActionName, Party } from './transitions.ts';

/** A closed case may be reopened within this window (7 days) unless the list says otherwise. */
export const DEFAULT_REOPEN_WINDOW_MS = 7 * 24 * 3_600_000;

/** A case climbs at most this many command-centre levels above its county (province last). */
export const MAX_ESCALATION_LEVEL = 2;

/** What the state-only rules need beyond the case: `now` for the reopen window (skipped without it). */
export interface StateCheck {
  now?: Date;
  reopenWindowMs?: number;
}

/** The part the actor plays in the step and the unit they act for. */
export interface Acting {
  party: Party;
  unit: ActorUnit;
}

/** The rule that refuses the action in this state, with its facts; undefined when the state allows it. */
export type Blocked = { rule: string } & Record<string, unknown>;

/**
 * The rules of an action that depend only on the case's state, not on the caller's input: the one
 * place applyAction refuses them and availableActions leaves them out, so that a case never offers
 * a step its own rules would refuse (the demo history and the console choose from that list).
 */
export function blockedBy(
  snapshot: CaseSnapshot,
  action: ActionName,
  acting: Acting,
  check: StateCheck = {},
): Blocked | undefined {
  switch (action) {
    case 'feedback':
      // The owner reports back on its lead task while handling; anyone else (and the owner once
      // the case awaits verification) only on an open co-handling or summoned task of its own.
      if (acting.party === 'owner' && snapshot.stage === 'handling') return undefined;
      return snapshot.tasks.some(
        (t) => t.department_id === acting.unit && t.role !== 'lead' && t.status === 'open',
      )
        ? undefined
        : { rule: 'no_open_task' };
    case 'verify_pass':
    case 'close': {
      const open = snapshot.tasks.filter((t) => t.status !== 'done');
      return open.length > 0
        ? { rule: 'tasks_open', departments: open.map((t) => t.department_id).join(', ') }
        : undefined;
    }
    case 'rate':
      return snapshot.rated_at ? { rule: 'already_rated' } : undefined;
    case 'reopen': {
      if (!check.now) return undefined;
      const window = check.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS;
      const closedAt = snapshot.closed_at ? new Date(snapshot.closed_at).getTime() : 0;
      return check.now.getTime() - closedAt > window
        ? { rule: 'reopen_window', window_ms: window }
        : undefined;
    }
    case 'approve_extension':
      return !snapshot.pending_extension || !snapshot.handling_deadline
        ? { rule: 'no_pending_extension' }
        : undefined;
    case 'escalate':
      return snapshot.escalation_level >= MAX_ESCALATION_LEVEL ? { rule: 'highest_level' } : undefined;
    default:
      return undefined;
  }
}
