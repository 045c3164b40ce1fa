import { addDuration, measureMs } from '../calendar/deadlines.ts';
import { CLOCK_OF, shiftForPause } from './clocks.ts';
import type { Step } from './step.ts';

/** feedback: the owner's closes its lead task; a co-handler's or summoned unit's closes its own. */
export function giveFeedback(step: Step): void {
  const { input, ctx, from, lead } = step;
  const feedback = { evidence: input.evidence ?? [], note: input.note ?? null };
  step.payload.evidence = feedback.evidence;
  if (step.acting.party === 'owner' && from === 'handling') {
    step.changes.feedback_at = step.now;
    if (lead && lead.status !== 'done')
      step.tasks.push({ kind: 'update', id: lead.id, status: 'done', done_at: step.now, feedback });
  } else {
    // There is one: preconditions.ts refuses a feedback without an open task of the unit's own.
    const own = step.openTasks.find(
      (t) => t.department_id === ctx.unit && t.role !== 'lead' && t.status === 'open',
    )!;
    step.tasks.push({ kind: 'update', id: own.id, status: 'done', done_at: step.now, feedback });
    step.payload.task = { department_id: own.department_id, role: own.role };
    step.to = from;
  }
}

/** verify_pass, close: only once every task is done (preconditions.ts). */
export function finish(step: Step): void {
  if (step.input.action === 'close') step.changes.closed_at = step.now;
}

/** verify_fail: rework, the lead task opens again. */
export function rework(step: Step): void {
  step.changes.rework_count = step.snapshot.rework_count + 1;
  if (step.lead) step.tasks.push({ kind: 'update', id: step.lead.id, status: 'open', done_at: null });
}

/** rate: once; a rating that says "not fixed" ends the case as closed unfixed. */
export function rate(step: Step): void {
  const { input } = step;
  Object.assign(step.changes, {
    rating: input.rating!,
    rated_fixed: input.fixed ? 1 : 0,
    rated_at: step.now,
  });
  if (!input.fixed) step.to = 'closed_unfixed';
  Object.assign(step.payload, { rating: input.rating, fixed: input.fixed });
}

/** reopen (within the window after closure, preconditions.ts): the closure, rating and deadline are cleared. */
export function reopen(step: Step): void {
  Object.assign(step.changes, {
    closed_at: null,
    rating: null,
    rated_fixed: null,
    rated_at: null,
    handling_deadline: null,
  });
}

/** request_extension: kept pending until the centre approves it. */
export function requestExtension(step: Step): void {
  const { input } = step;
  const pending = { days: input.days!, reason: input.reason!.trim(), requested_by: step.actor.username };
  step.changes.pending_extension = pending;
  step.payload.days = pending.days;
}

/** approve_extension: the handling deadline moves by the working days asked for. */
export function approveExtension(step: Step): void {
  const { snapshot, ctx } = step;
  // Present: preconditions.ts refuses an approval without a pending request and a deadline.
  const pending = snapshot.pending_extension!;
  const due = addDuration(
    ctx.calendar,
    new Date(snapshot.handling_deadline!),
    pending.days,
    'work_days',
  ).toISOString();
  Object.assign(step.changes, {
    pending_extension: null,
    extension_count: snapshot.extension_count + 1,
    handling_deadline: due,
    stage_deadline: due,
  });
  Object.assign(step.payload, { days: pending.days, handling_deadline: due });
}

/** park: the clocks stop; the stage to go back to is kept. */
export function park(step: Step): void {
  Object.assign(step.changes, { stage_before_park: step.from, parked_at: step.now, next_check_at: null });
}

/** resume: the deadlines move by the working time the case was parked. */
export function resume(step: Step): void {
  const { snapshot, ctx, limits } = step;
  const parkedAt = new Date(snapshot.parked_at ?? snapshot.stage_started_at);
  const clock = CLOCK_OF[step.to];
  const stageDeadline = clock
    ? shiftForPause(ctx.calendar, snapshot.stage_deadline, parkedAt, ctx.now, limits[clock])
    : snapshot.stage_deadline;
  const handlingDeadline = shiftForPause(
    ctx.calendar,
    snapshot.handling_deadline,
    parkedAt,
    ctx.now,
    limits.handling,
  );
  // The stage's clock stood still for this much of its own time; the sweeper takes it off the
  // time used, and looks again at once to plan the notices still to come.
  const stood = clock
    ? measureMs(ctx.calendar, parkedAt.getTime(), ctx.now.getTime(), limits[clock].unit)
    : 0;
  Object.assign(step.changes, {
    stage_before_park: null,
    parked_at: null,
    paused_ms: snapshot.paused_ms + (ctx.now.getTime() - parkedAt.getTime()),
    clock_paused_ms: snapshot.clock_paused_ms + stood,
    stage_deadline: stageDeadline,
    handling_deadline: handlingDeadline,
    next_check_at: stageDeadline === null ? null : ctx.now.toISOString(),
  });
  Object.assign(step.payload, {
    paused_ms: ctx.now.getTime() - parkedAt.getTime(),
    stage_deadline: stageDeadline,
  });
}
