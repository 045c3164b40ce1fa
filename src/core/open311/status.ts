import type { ActionName } from '../workflow/transitions.ts';
import { isOpenStage, STAGES, type Stage } from '../workflow/stages.ts';

/** GeoReport v2 knows two statuses. */
export const OPEN311_STATUSES = ['open', 'closed'] as const;
export type Open311Status = (typeof OPEN311_STATUSES)[number];

/**
 * `closed` is every final stage: closed, closed_unfixed (closed, not fixed: the resident's verdict
 * is told in status_notes, never hidden), voided and merged. Everything else, parked (挂账)
 * included, is still `open`: the case is not finished.
 */
export function open311Status(stage: Stage): Open311Status {
  return isOpenStage(stage) ? 'open' : 'closed';
}

/** The stages behind a list of statuses, for a SQL condition. */
export function stagesOf(statuses: readonly Open311Status[]): Stage[] {
  return STAGES.filter((s) => statuses.includes(open311Status(s)));
}

/**
 * mySociety's extended statuses (servicerequestupdates). Posted in upper case; the update feed
 * answers in lower case, as FixMyStreet's own endpoint does.
 */
export const UPDATE_STATUSES = [
  'OPEN',
  'CLOSED',
  'FIXED',
  'IN_PROGRESS',
  'PLANNED',
  'ACTION_SCHEDULED',
  'INVESTIGATING',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION',
  'INTERNAL_REFERRAL',
  'CANCELLED',
  'REOPEN',
  'FOR_TRIAGE',
] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** The extended status a stage is told as in the update feed (docs/open311.md). */
export const STAGE_UPDATE_STATUS: Record<Stage, UpdateStatus> = {
  reported: 'OPEN',
  verifying: 'INVESTIGATING',
  registered: 'ACTION_SCHEDULED',
  dispatched: 'ACTION_SCHEDULED',
  arbitration: 'INTERNAL_REFERRAL',
  handling: 'IN_PROGRESS',
  awaiting_verification: 'IN_PROGRESS',
  verified: 'FIXED',
  closed: 'FIXED',
  closed_unfixed: 'CLOSED',
  parked: 'PLANNED',
  voided: 'NO_FURTHER_ACTION',
  merged: 'DUPLICATE',
};

/**
 * The workflow actions a posted update may mean, tried in this order; the first the stage and the
 * key's staff account allow is taken, otherwise the update is kept as a note on the case. An
 * update that names no action here (OPEN, DUPLICATE without the original, REOPEN …) is a note.
 */
export const UPDATE_ACTIONS: Record<UpdateStatus, readonly ActionName[]> = {
  OPEN: [],
  FOR_TRIAGE: [],
  INVESTIGATING: ['verify_report', 'accept'],
  ACTION_SCHEDULED: ['register', 'accept'],
  PLANNED: ['register', 'accept'],
  IN_PROGRESS: ['accept'],
  FIXED: ['feedback', 'verify_pass'],
  CLOSED: ['close'],
  NOT_COUNCILS_RESPONSIBILITY: ['return', 'void'],
  NO_FURTHER_ACTION: ['void'],
  CANCELLED: ['void'],
  DUPLICATE: [],
  INTERNAL_REFERRAL: [],
  REOPEN: [],
};

export function isUpdateStatus(value: string): value is UpdateStatus {
  return (UPDATE_STATUSES as readonly string[]).includes(value);
}

/** The action an update becomes, given what the actor may do on the case now; null: a note. */
export function chooseUpdateAction(status: UpdateStatus, allowed: readonly ActionName[]): ActionName | null {
  return UPDATE_ACTIONS[status].find((a) => allowed.includes(a)) ?? null;
}
