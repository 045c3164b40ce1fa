import type { Actor } from '../access/roles.ts';
import type { ActionInput, CaseSnapshot, Outcome } from './case-snapshot.ts';
import { DEFAULT_LIMITS, enterStage, type StageLimits } from './clocks.ts';
import { applyEffects } from './effects.ts';
import { checkRequired, refuse } from './guards.ts';
import { actingParty } from './parties.ts';
import { blockedBy } from './preconditions.ts';
import type { Stage } from './stages.ts';
import type { ApplyContext, Step } from './step.ts';
import { TRANSITIONS } from './transitions.ts';

export { type ApplyContext, type Routing } from './step.ts';
export { DEFAULT_REOPEN_WINDOW_MS } from './preconditions.ts';

/**
 * One workflow step, without side effects: the case fields that change, the event that records
 * it, and the tasks to create or update. Refuses with `case.invalid_transition` (the stage or the
 * actor's part does not allow it) or a missing-input code; permissions (403) are the caller's.
 *
 * ```ts
 * applyAction(snapshot, countyCentre, { action: 'register' }, { now, calendar, unit: null })
 * // → { changes: { stage: 'registered', version: 2, … }, event: { action: 'register', … }, tasks: [] }
 * ```
 */
export function applyAction(
  snapshot: CaseSnapshot,
  actor: Actor,
  input: ActionInput,
  ctx: ApplyContext,
): Outcome {
  const { action } = input;
  const rule = TRANSITIONS[action];
  const from = snapshot.stage;
  if (!(rule.from as readonly Stage[]).includes(from)) refuse(action, from);
  const acting = actingParty(snapshot, actor, ctx.unit, action);
  if (!acting) refuse(action, from, { parties: rule.parties.join(', ') });
  for (const field of rule.requires) checkRequired(input, field);
  const blocked = blockedBy(
    snapshot,
    action,
    { party: acting.party, unit: ctx.unit },
    { now: ctx.now, reopenWindowMs: ctx.reopenWindowMs },
  );
  if (blocked) refuse(action, from, blocked);

  const now = ctx.now.toISOString();
  const limits = snapshot.limits ?? ctx.routing?.limits ?? ctx.limits ?? DEFAULT_LIMITS;
  const version = snapshot.version + 1;
  const step: Step = {
    snapshot,
    actor,
    input,
    ctx,
    acting,
    from,
    to:
      rule.to === 'same'
        ? from
        : rule.to === 'previous'
          ? (snapshot.stage_before_park ?? 'registered')
          : rule.to,
    now,
    limits,
    changes: {},
    tasks: [],
    payload: {},
    openTasks: snapshot.tasks.filter((t) => t.status !== 'done'),
    // The latest: a case reopened, or arbitrated back to an owner that returned it, has an
    // earlier, finished lead task of the same department.
    lead: snapshot.tasks
      .filter((t) => t.role === 'lead' && t.department_id === snapshot.owner_department_id)
      .at(-1),
  };
  applyEffects(step);

  const { changes, to } = step;
  if (to !== from && (rule.effects as readonly string[]).includes('start_clocks')) {
    const clockFields = enterStage(
      ctx.calendar,
      (changes.limits ?? limits) as StageLimits,
      ctx.now,
      from,
      to,
      {
        stage_deadline: snapshot.stage_deadline,
        handling_deadline:
          changes.handling_deadline !== undefined ? changes.handling_deadline : snapshot.handling_deadline,
      },
    );
    Object.assign(changes, clockFields);
  }
  const reason = input.reason?.trim() || null;
  return {
    changes: { ...changes, stage: to, version, updated_at: now },
    event: {
      version,
      at: now,
      action,
      actor_role: acting.role,
      from_stage: from,
      to_stage: to,
      reason,
      payload: step.payload,
    },
    tasks: step.tasks,
  };
}
