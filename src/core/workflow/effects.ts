import { refuse } from './guards.ts';
import {
  approveExtension,
  finish,
  giveFeedback,
  park,
  rate,
  reopen,
  requestExtension,
  resume,
  rework,
} from './effects-handling.ts';
import { giveBack, reportIn, route, whistle } from './effects-routing.ts';
import type { Step } from './step.ts';

/** What the action does beyond the stage change: fills in the step's changes, tasks and payload. */
export function applyEffects(step: Step): void {
  const { snapshot, input, changes, payload } = step;
  const { action } = input;
  switch (action) {
    case 'register':
    case 'self_resolve':
      changes.registered_at = snapshot.registered_at ?? step.now;
      if (!snapshot.limits && step.ctx.limits) changes.limits = step.ctx.limits;
      if (action === 'self_resolve') payload.evidence = input.evidence ?? [];
      return;
    case 'merge':
      if (input.merged_into === snapshot.id) refuse(action, step.from, { rule: 'merge_into_itself' });
      changes.merged_into = input.merged_into!;
      payload.merged_into = input.merged_into;
      return;
    case 'dispatch':
    case 'arbitrate':
      return route(step);
    case 'accept':
      changes.accepted_at = step.now;
      return;
    case 'return':
      return giveBack(step);
    case 'feedback':
      return giveFeedback(step);
    case 'verify_pass':
    case 'close':
      return finish(step);
    case 'verify_fail':
      return rework(step);
    case 'rate':
      return rate(step);
    case 'reopen':
      return reopen(step);
    case 'request_extension':
      return requestExtension(step);
    case 'approve_extension':
      return approveExtension(step);
    case 'park':
      return park(step);
    case 'resume':
      return resume(step);
    case 'supervise':
      Object.assign(payload, { notice: input.reason, owner: snapshot.owner_department_id });
      return;
    case 'escalate':
      changes.escalation_level = snapshot.escalation_level + 1;
      payload.escalation_level = changes.escalation_level;
      return;
    case 'whistle':
      return whistle(step);
    case 'report_in':
      return reportIn(step);
    case 'verify_report':
    case 'void':
      return;
  }
}
