import { addDuration } from '../calendar/deadlines.ts';
import { DomainError } from '../errors.ts';
import { isAwaitingReportIn } from './case-snapshot.ts';
import { refuse } from './guards.ts';
import type { Step } from './step.ts';

/** A second return means the ownership is disputed: the command centre decides (GB/T 30428). */
const RETURNS_BEFORE_ARBITRATION = 2;

/** dispatch, arbitrate: the routed owner, its handling deadline, and a task for each new unit. */
export function route(step: Step): void {
  const { input, ctx, changes, tasks, payload, snapshot } = step;
  const routing = ctx.routing;
  if (!routing)
    throw new DomainError('case.field_required', { action: input.action, field: 'department_id' });
  if (routing.overridden && !input.reason?.trim())
    throw new DomainError('case.reason_required', { action: input.action });
  const handling = routing.limits?.handling ?? step.limits.handling;
  const handlingDeadline = addDuration(ctx.calendar, ctx.now, handling.amount, handling.unit).toISOString();
  Object.assign(changes, {
    owner_department_id: routing.department_id,
    responsibility_list_id: routing.list?.id ?? null,
    responsibility_version: routing.list?.version ?? null,
    responsibility_entry_id: routing.entry_id,
    limits: routing.limits ?? snapshot.limits,
    dispatch_overridden: routing.overridden ? 1 : 0,
    dispatched_at: step.now,
    handling_deadline: handlingDeadline,
  });
  const holders = new Set(step.openTasks.map((t) => t.department_id));
  const units = [routing.department_id, ...routing.co_handlers.filter((d) => d !== routing.department_id)];
  for (const [i, department_id] of units.entries()) {
    if (holders.has(department_id)) continue;
    tasks.push({
      kind: 'create',
      department_id,
      role: i === 0 ? 'lead' : 'co',
      status: 'open',
      report_in_deadline: null,
      deadline: handlingDeadline,
    });
  }
  Object.assign(payload, {
    department_id: routing.department_id,
    overridden: routing.overridden,
    co_handlers: routing.co_handlers,
    list: routing.list,
    entry_id: routing.entry_id,
  });
}

/** return: the owner gives the case back; the second return sends it to arbitration. */
export function giveBack(step: Step): void {
  const { snapshot, changes } = step;
  const returns = snapshot.return_count + 1;
  changes.return_count = returns;
  changes.owner_department_id = null;
  changes.handling_deadline = null;
  if (returns >= RETURNS_BEFORE_ARBITRATION) step.to = 'arbitration';
  for (const t of step.openTasks.filter((t) => t.role !== 'summoned')) {
    step.tasks.push({
      kind: 'update',
      id: t.id,
      status: 'done',
      done_at: step.now,
      feedback: { returned: step.input.reason },
    });
  }
  step.payload.department_id = snapshot.owner_department_id;
}

/** whistle (吹哨): summon departments that hold no open task to report in within hours. */
export function whistle(step: Step): void {
  const { input, ctx, snapshot, limits } = step;
  const hours = input.report_in_hours ?? 2;
  const reportIn = addDuration(ctx.calendar, ctx.now, hours, 'urgent_hours').toISOString();
  const handling =
    snapshot.handling_deadline ??
    addDuration(ctx.calendar, ctx.now, limits.handling.amount, limits.handling.unit).toISOString();
  const holders = new Set(step.openTasks.map((t) => t.department_id));
  const summoned = [...new Set(input.departments)].filter((d) => !holders.has(d));
  if (summoned.length === 0) refuse(input.action, step.from, { rule: 'already_summoned' });
  for (const department_id of summoned) {
    step.tasks.push({
      kind: 'create',
      department_id,
      role: 'summoned',
      status: 'awaiting_report_in',
      report_in_deadline: reportIn,
      deadline: handling,
    });
  }
  Object.assign(step.payload, { departments: summoned, report_in_deadline: reportIn });
}

/** report_in (报到): the summoned department's task opens; a report-in after its deadline is late. */
export function reportIn(step: Step): void {
  const { ctx } = step;
  const task = step.snapshot.tasks.find((t) => t.department_id === ctx.unit && isAwaitingReportIn(t))!;
  step.tasks.push({ kind: 'update', id: task.id, status: 'open', reported_in_at: step.now });
  const late =
    task.report_in_deadline !== null && ctx.now.getTime() > new Date(task.report_in_deadline).getTime();
  Object.assign(step.payload, { department_id: task.department_id, late });
}
