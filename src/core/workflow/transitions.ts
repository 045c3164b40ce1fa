import type { Action } from '../access/permissions.ts';
import type { Role } from '../access/roles.ts';
import type { Stage } from './stages.ts';

/** The workflow actions of docs/CONTRACT.md: `POST /api/v1/cases/{id}/actions` takes these names. */
export const ACTION_NAMES = [
  'verify_report',
  'register',
  'void',
  'dispatch',
  'accept',
  'return',
  'feedback',
  'verify_pass',
  'verify_fail',
  'close',
  'rate',
  'reopen',
  'self_resolve',
  'request_extension',
  'approve_extension',
  'park',
  'resume',
  'supervise',
  'escalate',
  'whistle',
  'report_in',
  'arbitrate',
  'merge',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/**
 * The parts people play on one case. A role (ROLES) says what someone is; a party says how they
 * stand towards this case: an owner is a department handler of the owning unit, a reporter is the
 * resident who filed it. apply.ts decides who plays which part.
 */
export const PARTIES = [
  'dispatcher', // 派遣员: command centres, township and community handlers
  'centre', // 指挥中心: county, city and province centres
  'owner', // 责任单位: handler of the owner department (or the township/community that owns it)
  'task_holder', // a co-handling or summoned department with an open task of its own
  'summoned', // a department whistled to report in (报到)
  'verifier', // 核查: grid workers, community and township handlers, centres
  'reporter', // the resident who reported the case
  'grid_worker', // 网格员, for on-the-spot resolution
  'whistler', // 吹哨: township and community handlers
] as const;
export type Party = (typeof PARTIES)[number];

export const CENTRE_ROLES = ['county_centre', 'city_centre', 'province_centre'] as const satisfies Role[];

/** The roles that can play each party at all; apply.ts adds the case-specific condition. */
export const PARTY_ROLES: Record<Party, readonly Role[]> = {
  dispatcher: [...CENTRE_ROLES, 'township_handler', 'community_handler'],
  centre: CENTRE_ROLES,
  owner: ['department_handler', 'township_handler', 'community_handler'],
  task_holder: ['department_handler', 'township_handler', 'community_handler'],
  summoned: ['department_handler', 'township_handler', 'community_handler'],
  verifier: ['grid_worker', 'community_handler', 'township_handler', ...CENTRE_ROLES],
  reporter: ['resident'],
  grid_worker: ['grid_worker'],
  whistler: ['township_handler', 'community_handler'],
};

/** Input fields an action cannot do without. */
export type RequiredField = 'reason' | 'evidence' | 'rating' | 'departments' | 'merged_into' | 'days';

/**
 * What an action does besides moving the stage; act-on-case.ts and apply.ts implement each one.
 * - `start_clocks`: the new stage gets its start, deadline and 50 % check from the limits.
 * - `route_owner`: the owner comes from the responsibility list, or an override with a reason.
 * - `count_return`: return_count + 1; the second return goes to arbitration instead.
 * - `finish_task`: the acting department's task is done; only the lead's moves the stage.
 * - `require_tasks_done`: refused while any task is not done (joint handling, whistles).
 * - `count_rework`: rework_count + 1; the handling deadline is not reset (返工 continues the clock).
 * - `pause_clock` / `resume_clock`: 挂账 stops every deadline; resuming pushes them back.
 * - `extend_deadline`: the handling deadline moves by the approved working days.
 * - `rating`: fixed = false → closed_unfixed, an honest state of its own.
 * - `reopen_window`: only within the configured window after closure (default 7 days).
 */
export const EFFECTS = [
  'start_clocks',
  'mark_registered',
  'route_owner',
  'create_tasks',
  'open_task',
  'count_return',
  'finish_task',
  'require_tasks_done',
  'count_rework',
  'reopen_task',
  'mark_closed',
  'rating',
  'reopen_window',
  'pending_extension',
  'extend_deadline',
  'pause_clock',
  'resume_clock',
  'notice',
  'raise_level',
  'summon',
  'report_in',
  'link_original',
] as const;
export type Effect = (typeof EFFECTS)[number];

export interface Transition {
  readonly from: readonly Stage[];
  /** The next stage; 'same' keeps the stage, 'previous' returns to the stage before parking. */
  readonly to: Stage | 'same' | 'previous';
  readonly parties: readonly Party[];
  /** The permission (permissions.ts) the actor also needs on the case; null: the party is enough. */
  readonly permission: Action | null;
  readonly requires: readonly RequiredField[];
  readonly effects: readonly Effect[];
}

const BEFORE_REGISTRATION = ['reported', 'verifying'] as const satisfies Stage[];
const IN_PROGRESS = [
  'registered',
  'dispatched',
  'arbitration',
  'handling',
  'awaiting_verification',
  'verified',
] as const satisfies Stage[];

/**
 * The only place that says who may move a case where (STYLE.md). The pure rules are in apply.ts,
 * the database effects in src/cases/act-on-case.ts, the rendered table in docs/workflow.md.
 */
export const TRANSITIONS = {
  verify_report: {
    from: ['reported'],
    to: 'verifying',
    parties: ['dispatcher'],
    permission: 'case.act',
    requires: [],
    effects: [],
  },
  register: {
    from: BEFORE_REGISTRATION,
    to: 'registered',
    parties: ['dispatcher'],
    permission: 'case.act',
    requires: [],
    effects: ['start_clocks', 'mark_registered'],
  },
  void: {
    from: [...BEFORE_REGISTRATION, 'registered'],
    to: 'voided',
    parties: ['dispatcher'],
    permission: 'case.act',
    requires: ['reason'],
    effects: ['start_clocks'],
  },
  merge: {
    from: [...BEFORE_REGISTRATION, 'registered'],
    to: 'merged',
    parties: ['dispatcher'],
    permission: 'case.act',
    requires: ['merged_into'],
    effects: ['start_clocks', 'link_original'],
  },
  dispatch: {
    from: ['registered'],
    to: 'dispatched',
    parties: ['dispatcher'],
    permission: 'case.dispatch',
    requires: [],
    effects: ['start_clocks', 'route_owner', 'create_tasks'],
  },
  accept: {
    from: ['dispatched'],
    to: 'handling',
    parties: ['owner'],
    permission: 'case.act',
    requires: [],
    effects: ['start_clocks'],
  },
  return: {
    from: ['dispatched'],
    to: 'registered',
    parties: ['owner'],
    permission: 'case.act',
    requires: ['reason'],
    effects: ['start_clocks', 'count_return', 'finish_task'],
  },
  arbitrate: {
    from: ['arbitration'],
    to: 'dispatched',
    parties: ['centre'],
    permission: 'case.arbitrate',
    requires: ['reason'],
    effects: ['start_clocks', 'route_owner', 'create_tasks'],
  },
  feedback: {
    from: ['handling', 'awaiting_verification'],
    to: 'awaiting_verification',
    parties: ['owner', 'task_holder'],
    permission: 'case.act',
    requires: ['evidence'],
    effects: ['start_clocks', 'finish_task'],
  },
  self_resolve: {
    from: [...BEFORE_REGISTRATION, 'registered'],
    to: 'awaiting_verification',
    parties: ['grid_worker'],
    permission: 'case.act',
    requires: ['evidence'],
    effects: ['start_clocks', 'mark_registered'],
  },
  verify_pass: {
    from: ['awaiting_verification'],
    to: 'verified',
    parties: ['verifier'],
    permission: 'case.act',
    requires: [],
    effects: ['start_clocks', 'require_tasks_done'],
  },
  verify_fail: {
    from: ['awaiting_verification'],
    to: 'handling',
    parties: ['verifier'],
    permission: 'case.act',
    requires: ['reason'],
    effects: ['start_clocks', 'count_rework', 'reopen_task'],
  },
  close: {
    from: ['verified'],
    to: 'closed',
    parties: ['dispatcher'],
    permission: 'case.act',
    requires: [],
    effects: ['start_clocks', 'require_tasks_done', 'mark_closed'],
  },
  rate: {
    from: ['closed'],
    to: 'same',
    parties: ['reporter'],
    permission: null,
    requires: ['rating'],
    effects: ['rating'],
  },
  reopen: {
    from: ['closed', 'closed_unfixed'],
    to: 'registered',
    parties: ['reporter'],
    permission: null,
    requires: ['reason'],
    effects: ['start_clocks', 'reopen_window'],
  },
  request_extension: {
    from: ['handling'],
    to: 'same',
    parties: ['owner'],
    permission: 'case.act',
    requires: ['reason', 'days'],
    effects: ['pending_extension'],
  },
  approve_extension: {
    from: ['handling'],
    to: 'same',
    parties: ['centre'],
    permission: 'case.supervise',
    requires: [],
    effects: ['extend_deadline'],
  },
  park: {
    from: IN_PROGRESS,
    to: 'parked',
    parties: ['centre'],
    permission: 'case.supervise',
    requires: ['reason'],
    effects: ['pause_clock'],
  },
  resume: {
    from: ['parked'],
    to: 'previous',
    parties: ['centre'],
    permission: 'case.supervise',
    requires: [],
    effects: ['resume_clock'],
  },
  supervise: {
    from: [...BEFORE_REGISTRATION, ...IN_PROGRESS, 'parked'],
    to: 'same',
    parties: ['centre'],
    permission: 'case.supervise',
    requires: ['reason'],
    effects: ['notice'],
  },
  escalate: {
    from: [...BEFORE_REGISTRATION, ...IN_PROGRESS],
    to: 'same',
    parties: ['dispatcher', 'centre', 'owner'],
    permission: 'case.act',
    requires: ['reason'],
    effects: ['raise_level'],
  },
  whistle: {
    from: ['registered', 'dispatched', 'handling'],
    to: 'same',
    parties: ['whistler'],
    permission: 'case.act',
    requires: ['departments'],
    effects: ['summon'],
  },
  report_in: {
    from: ['registered', 'dispatched', 'handling', 'awaiting_verification'],
    to: 'same',
    parties: ['summoned'],
    permission: 'case.act',
    requires: [],
    effects: ['report_in'],
  },
} as const satisfies Record<ActionName, Transition>;

export function isActionName(value: unknown): value is ActionName {
  return typeof value === 'string' && (ACTION_NAMES as readonly string[]).includes(value);
}
