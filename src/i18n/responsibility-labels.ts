import type { DepartmentType } from '../core/organisation/department-types.ts';
import type { RegionLevel } from '../core/regions/codes.ts';
import type { EscalationTarget, LimitedStage, LimitUnit } from '../core/responsibility/entries.ts';
import type { Label } from './case-labels.ts';

/** Kinds of department, as a responsibility list names a handler by kind and level. */
export const DEPARTMENT_TYPE_LABELS: Record<DepartmentType, Label> = {
  urban_management: { zh: '城管（综合行政执法）', en: 'Urban management (law enforcement)' },
  market_regulation: { zh: '市场监管', en: 'Market regulation' },
  public_security: { zh: '公安', en: 'Public security' },
  housing_construction: { zh: '住房和城乡建设', en: 'Housing and construction' },
  ecology_environment: { zh: '生态环境', en: 'Ecology and environment' },
  emergency_management: { zh: '应急管理', en: 'Emergency management' },
  civil_affairs: { zh: '民政', en: 'Civil affairs' },
  justice: { zh: '司法', en: 'Justice' },
  health: { zh: '卫生健康', en: 'Health' },
  education: { zh: '教育', en: 'Education' },
  transport: { zh: '交通运输', en: 'Transport' },
  natural_resources: { zh: '自然资源和规划', en: 'Natural resources and planning' },
  water: { zh: '水利', en: 'Water resources' },
  human_resources: { zh: '人力资源和社会保障', en: 'Human resources and social security' },
  township_office: { zh: '乡镇人民政府 / 街道办事处', en: 'Township government / subdistrict office' },
  community_committee: { zh: '村（居）民委员会', en: "Village or residents' committee" },
  grid_team: { zh: '网格', en: 'Grid team' },
  command_centre: { zh: '社会治理（指挥）中心', en: 'Command centre' },
};

export const REGION_LEVEL_LABELS: Record<RegionLevel, Label> = {
  province: { zh: '省级', en: 'province' },
  city: { zh: '市级', en: 'city' },
  county: { zh: '县级', en: 'county' },
  township: { zh: '乡镇（街道）', en: 'township' },
  community: { zh: '村（社区）', en: 'community' },
};

export const LIMITED_STAGE_LABELS: Record<LimitedStage, Label> = {
  registration: { zh: '受理立案', en: 'Registration' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  handling: { zh: '处置', en: 'Handling' },
  verification: { zh: '核查', en: 'Verification' },
};

export const LIMIT_UNIT_LABELS: Record<LimitUnit, Label> = {
  work_hours: { zh: '工作小时', en: 'working hours' },
  urgent_hours: { zh: '小时（紧急，连续计时）', en: 'hours (urgent, round the clock)' },
  work_days: { zh: '工作日', en: 'working days' },
  natural_days: { zh: '自然日', en: 'calendar days' },
};

export const ESCALATION_LABELS: Record<EscalationTarget, Label> = {
  parent_command_centre: { zh: '上一级指挥中心', en: 'the command centre one level up' },
  county_command_centre: { zh: '县级指挥中心', en: 'the county command centre' },
  city_command_centre: { zh: '市级指挥中心', en: 'the city command centre' },
};
