import type { Role } from '../core/access/roles.ts';
import type { Stage } from '../core/workflow/stages.ts';
import type { ActionName } from '../core/workflow/transitions.ts';

/** A user-facing name, Chinese first. */
export interface Label {
  zh: string;
  en: string;
}

/** Stage names as residents and staff read them (GB/T 30428 wording where it has one). */
export const STAGE_LABELS: Record<Stage, Label> = {
  reported: { zh: '已上报', en: 'Reported' },
  verifying: { zh: '核实中', en: 'Being checked' },
  registered: { zh: '已立案', en: 'Registered' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  arbitration: { zh: '权属裁定中', en: 'Ownership being decided' },
  handling: { zh: '处置中', en: 'Being handled' },
  awaiting_verification: { zh: '待核查', en: 'Awaiting verification' },
  verified: { zh: '核查通过', en: 'Verified' },
  closed: { zh: '已结案', en: 'Closed' },
  closed_unfixed: { zh: '已结案（未解决）', en: 'Closed, not fixed' },
  parked: { zh: '挂账', en: 'On hold' },
  voided: { zh: '已作废', en: 'Voided' },
  merged: { zh: '已合并', en: 'Merged' },
};

/**
 * Timeline entries: the workflow actions, `report` for intake, and `note` for an update a
 * back-office system posted through Open311 that moved no stage.
 */
export const ACTION_LABELS: Record<ActionName | 'report' | 'note', Label> = {
  report: { zh: '上报', en: 'Reported' },
  note: { zh: '办理情况说明', en: 'Progress note' },
  verify_report: { zh: '派员核实', en: 'Sent for an on-site check' },
  register: { zh: '立案', en: 'Registered' },
  void: { zh: '不予立案', en: 'Not accepted' },
  dispatch: { zh: '派遣', en: 'Dispatched' },
  accept: { zh: '接单', en: 'Accepted by the department' },
  return: { zh: '回退', en: 'Returned by the department' },
  feedback: { zh: '处置反馈', en: 'Work reported done' },
  verify_pass: { zh: '核查通过', en: 'Verified' },
  verify_fail: { zh: '核查未通过（返工）', en: 'Verification failed (rework)' },
  close: { zh: '结案', en: 'Closed' },
  rate: { zh: '居民评价', en: 'Rated by the reporter' },
  reopen: { zh: '重新办理', en: 'Reopened' },
  self_resolve: { zh: '网格员当场处置', en: 'Resolved on the spot' },
  request_extension: { zh: '申请延期', en: 'Extension requested' },
  approve_extension: { zh: '批准延期', en: 'Extension approved' },
  park: { zh: '挂账', en: 'Put on hold' },
  resume: { zh: '恢复办理', en: 'Resumed' },
  supervise: { zh: '督办', en: 'Supervised' },
  escalate: { zh: '上报上级', en: 'Escalated' },
  whistle: { zh: '吹哨', en: 'Departments summoned' },
  report_in: { zh: '报到', en: 'Department reported in' },
  arbitrate: { zh: '裁定权属', en: 'Ownership decided' },
  merge: { zh: '合并', en: 'Merged' },
};

/** Who acted, as a part people play; `hotline_operator` is the 12345 hotline desk. */
export const ROLE_LABELS: Record<Role | 'hotline_operator', Label> = {
  resident: { zh: '居民', en: 'Resident' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  community_handler: { zh: '社区', en: 'Community' },
  township_handler: { zh: '街道（乡镇）', en: 'Township' },
  department_handler: { zh: '职能部门', en: 'Department' },
  county_centre: { zh: '区县指挥中心', en: 'County command centre' },
  city_centre: { zh: '市指挥中心', en: 'City command centre' },
  province_centre: { zh: '省指挥中心', en: 'Province command centre' },
  analyst: { zh: '分析人员', en: 'Analyst' },
  admin: { zh: '管理员', en: 'Administrator' },
  hotline_operator: { zh: '12345 热线', en: '12345 hotline' },
};

const UNKNOWN: Label = { zh: '工作人员', en: 'Staff' };

export function stageLabel(stage: string): Label {
  return STAGE_LABELS[stage as Stage] ?? { zh: stage, en: stage };
}

export function actionLabel(action: string): Label {
  return ACTION_LABELS[action as ActionName] ?? { zh: action, en: action };
}

export function roleLabel(role: string): Label {
  return ROLE_LABELS[role as Role] ?? UNKNOWN;
}

/** The reopen reason when a reporter says "not fixed" without a comment. */
export const NOT_FIXED_REASON: Label = {
  zh: '上报人确认问题未解决',
  en: 'The reporter says the problem is not fixed',
};
