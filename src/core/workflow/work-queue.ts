import { GRANTS } from '../access/permissions.ts';
import type { Role } from '../access/roles.ts';
import type { Stage } from './stages.ts';
import { PARTY_ROLES, TRANSITIONS, type ActionName, type Party } from './transitions.ts';

/**
 * The steps that are someone's work (待办): the case waits for them to move on. Left out are the
 * steps anyone may take at any time but nobody owes (supervise, escalate, whistle, park, void,
 * merge, self_resolve, request_extension) and the resident's (rate, reopen): a centre's queue
 * would otherwise hold every open case of its county. approve_extension is work only while an
 * extension waits (the `pending_extension` condition).
 */
export const QUEUE_ACTIONS = [
  'verify_report',
  'register',
  'dispatch',
  'arbitrate',
  'accept',
  'feedback',
  'report_in',
  'verify_pass',
  'close',
  'approve_extension',
] as const satisfies readonly ActionName[];

/**
 * Where a party's queue is narrower than the step's stages: once the lead has reported back
 * (awaiting_verification), a further feedback is a co-handler's, not the owner's work.
 */
const NARROWER: Partial<Record<ActionName, Partial<Record<Party, readonly Stage[]>>>> = {
  feedback: { owner: ['handling'] },
};

/** What a queue asks of a case besides its stage and the actor's part in it. */
export type QueueCondition = 'pending_extension';

export interface QueueEntry {
  party: Party;
  stages: Stage[];
  condition: QueueCondition | null;
}

/**
 * The actor's queue as (party, stages) pairs from the transition table: a queue step the actor's
 * roles can play the party of and hold the permission for. The stores turn each pair into SQL
 * (the party's own condition: the owner department, an open task, a summons); scope is the list's
 * own filter. Pairs of the same party and condition are merged.
 *
 * ```ts
 * workQueue(['department_handler'])
 * // → [{ party: 'owner', stages: ['dispatched', 'handling'], condition: null },
 * //    { party: 'task_holder', stages: ['handling', 'awaiting_verification'], condition: null }, …]
 * ```
 */
export function workQueue(roles: readonly Role[]): QueueEntry[] {
  const entries = new Map<string, QueueEntry>();
  for (const action of QUEUE_ACTIONS) {
    const t = TRANSITIONS[action];
    for (const party of t.parties as readonly Party[]) {
      const plays = roles.some(
        (r) => PARTY_ROLES[party].includes(r) && (t.permission === null || GRANTS[r].includes(t.permission)),
      );
      if (!plays) continue;
      const condition: QueueCondition | null = action === 'approve_extension' ? 'pending_extension' : null;
      const key = `${party}:${condition ?? ''}`;
      const entry = entries.get(key) ?? { party, stages: [], condition };
      for (const stage of NARROWER[action]?.[party] ?? (t.from as readonly Stage[])) {
        if (!entry.stages.includes(stage)) entry.stages.push(stage);
      }
      entries.set(key, entry);
    }
  }
  return [...entries.values()];
}
