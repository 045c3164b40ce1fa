import type { StageLimits } from './clocks.ts';
import type { Stage } from './stages.ts';
import type { ActionName } from './transitions.ts';

/**
 * The unit an actor acts for: a department handler's department, or the township office or
 * community committee of a township or community handler's scope (looked up by the use case).
 */
export type ActorUnit = string | null;

export const TASK_ROLES = ['lead', 'co', 'summoned'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];
export const TASK_STATUSES = ['awaiting_report_in', 'open', 'done', 'escalated'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A summoned department that has not reported in yet: on time, or late and escalated by the sweeper. */
export function isAwaitingReportIn(task: { status: TaskStatus }): boolean {
  return task.status === 'awaiting_report_in' || task.status === 'escalated';
}

/** One department's part of a case: the lead's, a co-handler's, or a whistled department's. */
export interface CaseTask {
  id: number;
  department_id: string;
  role: TaskRole;
  status: TaskStatus;
  report_in_deadline: string | null;
  deadline: string | null;
  reported_in_at: string | null;
  done_at: string | null;
}

export interface PendingExtension {
  days: number;
  reason: string;
  requested_by: string;
}

/** What the pure workflow rules read of a case (timestamps ISO 8601 UTC). */
export interface CaseSnapshot {
  id: string;
  stage: Stage;
  stage_before_park: Stage | null;
  version: number;
  region_code: string;
  reporter_user_id: string | null;
  owner_department_id: string | null;
  limits: StageLimits | null;
  return_count: number;
  rework_count: number;
  extension_count: number;
  escalation_level: number;
  stage_started_at: string;
  stage_deadline: string | null;
  handling_deadline: string | null;
  paused_ms: number;
  /** Working time the current stage's clock stood parked, in that clock's unit (ms). */
  clock_paused_ms: number;
  parked_at: string | null;
  pending_extension: PendingExtension | null;
  registered_at: string | null;
  closed_at: string | null;
  rated_at: string | null;
  tasks: readonly CaseTask[];
}

/** One workflow step as a caller asks for it; which fields matter depends on the action. */
export interface ActionInput {
  action: ActionName;
  reason?: string;
  /** Evidence of handling: photo or file references, or a note. */
  evidence?: readonly string[];
  note?: string;
  /** dispatch/arbitrate: the department chosen (an override of the list needs a reason). */
  department_id?: string;
  /** whistle: the departments summoned to report in. */
  departments?: readonly string[];
  /** whistle: hours (clock time) within which they must report in; default 2. */
  report_in_hours?: number;
  merged_into?: string;
  /** request_extension: working days asked for. */
  days?: number;
  rating?: number;
  fixed?: boolean;
}

/** The case columns an action may change (names as in the cases table). */
export interface CaseChanges {
  stage: Stage;
  version: number;
  updated_at: string;
  stage_before_park?: Stage | null;
  stage_started_at?: string;
  stage_deadline?: string | null;
  next_check_at?: string | null;
  notices_sent?: number;
  handling_deadline?: string | null;
  paused_ms?: number;
  clock_paused_ms?: number;
  parked_at?: string | null;
  pending_extension?: PendingExtension | null;
  owner_department_id?: string | null;
  responsibility_list_id?: string | null;
  responsibility_version?: number | null;
  responsibility_entry_id?: string | null;
  limits?: StageLimits | null;
  dispatch_overridden?: number;
  return_count?: number;
  rework_count?: number;
  extension_count?: number;
  escalation_level?: number;
  merged_into?: string;
  registered_at?: string;
  dispatched_at?: string;
  accepted_at?: string;
  feedback_at?: string;
  closed_at?: string | null;
  rating?: number | null;
  rated_fixed?: number | null;
  rated_at?: string | null;
}

export type TaskChange =
  | {
      kind: 'create';
      department_id: string;
      role: TaskRole;
      status: TaskStatus;
      report_in_deadline: string | null;
      deadline: string | null;
    }
  | {
      kind: 'update';
      id: number;
      status: TaskStatus;
      reported_in_at?: string;
      done_at?: string | null;
      feedback?: Record<string, unknown>;
    };

export interface CaseEventDraft {
  version: number;
  at: string;
  action: ActionName;
  actor_role: string;
  from_stage: Stage;
  to_stage: Stage;
  reason: string | null;
  payload: Record<string, unknown>;
}

export interface Outcome {
  changes: CaseChanges;
  event: CaseEventDraft;
  tasks: TaskChange[];
}
