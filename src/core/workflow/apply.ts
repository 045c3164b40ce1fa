import { addDuration } from '../calendar/deadlines.ts';
import type { WorkCalendar } from '../calendar/work-calendar.ts';
import type { Actor } from '../access/roles.ts';
import { DomainError } from '../errors.ts';
import {
  isAwaitingReportIn,
  type ActionInput,
  type CaseChanges,
  type CaseSnapshot,
  type Outcome,
  type TaskChange,
} from './case-snapshot.ts';
import { CLOCK_OF, DEFAULT_LIMITS, enterStage, shiftForPause, type StageLimits } from './clocks.ts';
import { actingParty, type ActorUnit } from './parties.ts';
import type { Stage } from './stages.ts';
import { TRANSITIONS, type ActionName, type RequiredField } from './transitions.ts';

/** The owner a dispatch or an arbitration settled on, found by the use case. */
export interface Routing {
  department_id: string;
  /** The dispatcher chose another unit than the list names (counted: dispatch accuracy). */
  overridden: boolean;
  list: { id: string; version: number } | null;
  entry_id: string | null;
  limits: StageLimits | null;
  co_handlers: readonly string[];
}

export interface ApplyContext {
  now: Date;
  calendar: WorkCalendar;
  /** The unit the actor acts for (see parties.ts). */
  unit: ActorUnit;
  /** How long after closure the reporter may reopen; default 7 days. */
  reopenWindowMs?: number;
  routing?: Routing;
  /** Limits found for a case not yet routed (its category's entry), used when it has none. */
  limits?: StageLimits;
}

export const DEFAULT_REOPEN_WINDOW_MS = 7 * 24 * 3_600_000;
const MAX_ESCALATION_LEVEL = 2;
/** A second return means the ownership is disputed: the command centre decides (GB/T 30428). */
const RETURNS_BEFORE_ARBITRATION = 2;

function refuse(action: ActionName, stage: Stage, extra: Record<string, unknown> = {}): never {
  throw new DomainError('case.invalid_transition', { action, stage, ...extra });
}

function checkRequired(input: ActionInput, field: RequiredField): void {
  const { action } = input;
  switch (field) {
    case 'reason':
      if (!input.reason?.trim()) throw new DomainError('case.reason_required', { action });
      return;
    case 'evidence':
      if (!input.evidence?.some((e) => e.trim()) && !input.note?.trim())
        throw new DomainError('case.evidence_required', { action });
      return;
    case 'rating':
      if (input.rating === undefined || input.fixed === undefined)
        throw new DomainError('case.field_required', { action, field: 'rating, fixed' });
      if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
        throw new DomainError('case.invalid_rating', { rating: input.rating });
      return;
    case 'departments':
      if (!input.departments?.length) throw new DomainError('case.field_required', { action, field });
      return;
    case 'merged_into':
      if (!input.merged_into) throw new DomainError('case.field_required', { action, field });
      return;
    case 'days':
      if (!input.days || input.days <= 0) throw new DomainError('case.field_required', { action, field });
      return;
  }
}

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

  const now = ctx.now.toISOString();
  const limits = snapshot.limits ?? ctx.routing?.limits ?? ctx.limits ?? DEFAULT_LIMITS;
  const version = snapshot.version + 1;
  let to: Stage =
    rule.to === 'same'
      ? from
      : rule.to === 'previous'
        ? (snapshot.stage_before_park ?? 'registered')
        : rule.to;
  const changes: Partial<CaseChanges> = {};
  const tasks: TaskChange[] = [];
  const payload: Record<string, unknown> = {};
  const openTasks = snapshot.tasks.filter((t) => t.status !== 'done');
  // The latest: a case reopened, or arbitrated back to an owner that returned it, has an earlier,
  // finished lead task of the same department.
  const lead = snapshot.tasks
    .filter((t) => t.role === 'lead' && t.department_id === snapshot.owner_department_id)
    .at(-1);

  switch (action) {
    case 'register':
    case 'self_resolve':
      changes.registered_at = snapshot.registered_at ?? now;
      if (!snapshot.limits && ctx.limits) changes.limits = ctx.limits;
      if (action === 'self_resolve') payload.evidence = input.evidence ?? [];
      break;
    case 'merge':
      if (input.merged_into === snapshot.id) refuse(action, from, { rule: 'merge_into_itself' });
      changes.merged_into = input.merged_into!;
      payload.merged_into = input.merged_into;
      break;
    case 'dispatch':
    case 'arbitrate': {
      const routing = ctx.routing;
      if (!routing) throw new DomainError('case.field_required', { action, field: 'department_id' });
      if (routing.overridden && !input.reason?.trim())
        throw new DomainError('case.reason_required', { action });
      const handling = routing.limits?.handling ?? limits.handling;
      const handlingDeadline = addDuration(
        ctx.calendar,
        ctx.now,
        handling.amount,
        handling.unit,
      ).toISOString();
      Object.assign(changes, {
        owner_department_id: routing.department_id,
        responsibility_list_id: routing.list?.id ?? null,
        responsibility_version: routing.list?.version ?? null,
        responsibility_entry_id: routing.entry_id,
        limits: routing.limits ?? snapshot.limits,
        dispatch_overridden: routing.overridden ? 1 : 0,
        dispatched_at: now,
        handling_deadline: handlingDeadline,
      });
      const holders = new Set(openTasks.map((t) => t.department_id));
      const units = [
        routing.department_id,
        ...routing.co_handlers.filter((d) => d !== routing.department_id),
      ];
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
      break;
    }
    case 'accept':
      changes.accepted_at = now;
      break;
    case 'return': {
      const returns = snapshot.return_count + 1;
      changes.return_count = returns;
      changes.owner_department_id = null;
      changes.handling_deadline = null;
      if (returns >= RETURNS_BEFORE_ARBITRATION) to = 'arbitration';
      for (const t of openTasks.filter((t) => t.role !== 'summoned')) {
        tasks.push({
          kind: 'update',
          id: t.id,
          status: 'done',
          done_at: now,
          feedback: { returned: input.reason },
        });
      }
      payload.department_id = snapshot.owner_department_id;
      break;
    }
    case 'feedback': {
      const feedback = { evidence: input.evidence ?? [], note: input.note ?? null };
      payload.evidence = feedback.evidence;
      if (acting.party === 'owner' && from === 'handling') {
        changes.feedback_at = now;
        if (lead && lead.status !== 'done')
          tasks.push({ kind: 'update', id: lead.id, status: 'done', done_at: now, feedback });
      } else {
        const own = openTasks.find(
          (t) => t.department_id === ctx.unit && t.role !== 'lead' && t.status === 'open',
        );
        if (!own) refuse(action, from, { rule: 'no_open_task' });
        tasks.push({ kind: 'update', id: own.id, status: 'done', done_at: now, feedback });
        payload.task = { department_id: own.department_id, role: own.role };
        to = from;
      }
      break;
    }
    case 'verify_pass':
    case 'close': {
      const unfinished = openTasks;
      if (unfinished.length > 0)
        refuse(action, from, {
          rule: 'tasks_open',
          departments: unfinished.map((t) => t.department_id).join(', '),
        });
      if (action === 'close') changes.closed_at = now;
      break;
    }
    case 'verify_fail':
      changes.rework_count = snapshot.rework_count + 1;
      if (lead) tasks.push({ kind: 'update', id: lead.id, status: 'open', done_at: null });
      break;
    case 'rate':
      if (snapshot.rated_at) refuse(action, from, { rule: 'already_rated' });
      Object.assign(changes, { rating: input.rating!, rated_fixed: input.fixed ? 1 : 0, rated_at: now });
      if (!input.fixed) to = 'closed_unfixed';
      Object.assign(payload, { rating: input.rating, fixed: input.fixed });
      break;
    case 'reopen': {
      const window = ctx.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS;
      const closedAt = snapshot.closed_at ? new Date(snapshot.closed_at).getTime() : 0;
      if (ctx.now.getTime() - closedAt > window)
        refuse(action, from, { rule: 'reopen_window', window_ms: window });
      Object.assign(changes, {
        closed_at: null,
        rating: null,
        rated_fixed: null,
        rated_at: null,
        handling_deadline: null,
      });
      break;
    }
    case 'request_extension': {
      const pending = { days: input.days!, reason: input.reason!.trim(), requested_by: actor.username };
      changes.pending_extension = pending;
      payload.days = pending.days;
      break;
    }
    case 'approve_extension': {
      const pending = snapshot.pending_extension;
      if (!pending || !snapshot.handling_deadline) refuse(action, from, { rule: 'no_pending_extension' });
      const due = addDuration(
        ctx.calendar,
        new Date(snapshot.handling_deadline),
        pending.days,
        'work_days',
      ).toISOString();
      Object.assign(changes, {
        pending_extension: null,
        extension_count: snapshot.extension_count + 1,
        handling_deadline: due,
        stage_deadline: due,
      });
      Object.assign(payload, { days: pending.days, handling_deadline: due });
      break;
    }
    case 'park':
      Object.assign(changes, { stage_before_park: from, parked_at: now, next_check_at: null });
      break;
    case 'resume': {
      const parkedAt = new Date(snapshot.parked_at ?? snapshot.stage_started_at);
      const clock = CLOCK_OF[to];
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
      Object.assign(changes, {
        stage_before_park: null,
        parked_at: null,
        paused_ms: snapshot.paused_ms + (ctx.now.getTime() - parkedAt.getTime()),
        stage_deadline: stageDeadline,
        handling_deadline: handlingDeadline,
        next_check_at: stageDeadline,
      });
      Object.assign(payload, {
        paused_ms: ctx.now.getTime() - parkedAt.getTime(),
        stage_deadline: stageDeadline,
      });
      break;
    }
    case 'supervise':
      Object.assign(payload, { notice: input.reason, owner: snapshot.owner_department_id });
      break;
    case 'escalate':
      if (snapshot.escalation_level >= MAX_ESCALATION_LEVEL) refuse(action, from, { rule: 'highest_level' });
      changes.escalation_level = snapshot.escalation_level + 1;
      payload.escalation_level = changes.escalation_level;
      break;
    case 'whistle': {
      const hours = input.report_in_hours ?? 2;
      const reportIn = addDuration(ctx.calendar, ctx.now, hours, 'urgent_hours').toISOString();
      const handling =
        snapshot.handling_deadline ??
        addDuration(ctx.calendar, ctx.now, limits.handling.amount, limits.handling.unit).toISOString();
      const holders = new Set(openTasks.map((t) => t.department_id));
      const summoned = [...new Set(input.departments)].filter((d) => !holders.has(d));
      if (summoned.length === 0) refuse(action, from, { rule: 'already_summoned' });
      for (const department_id of summoned) {
        tasks.push({
          kind: 'create',
          department_id,
          role: 'summoned',
          status: 'awaiting_report_in',
          report_in_deadline: reportIn,
          deadline: handling,
        });
      }
      Object.assign(payload, { departments: summoned, report_in_deadline: reportIn });
      break;
    }
    case 'report_in': {
      const task = snapshot.tasks.find((t) => t.department_id === ctx.unit && isAwaitingReportIn(t))!;
      tasks.push({ kind: 'update', id: task.id, status: 'open', reported_in_at: now });
      const late =
        task.report_in_deadline !== null && ctx.now.getTime() > new Date(task.report_in_deadline).getTime();
      Object.assign(payload, { department_id: task.department_id, late });
      break;
    }
    case 'verify_report':
    case 'void':
      break;
  }

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
      payload,
    },
    tasks,
  };
}
