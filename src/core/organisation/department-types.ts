/**
 * Kinds of handling units. Line departments (职能部门) belong to a county or higher; township
 * offices, community committees and grid teams are handling units too, as are command centres.
 */
export const DEPARTMENT_TYPES = [
  'urban_management', // 城管（综合行政执法）
  'market_regulation', // 市场监管
  'public_security', // 公安
  'housing_construction', // 住建
  'ecology_environment', // 生态环境
  'emergency_management', // 应急管理
  'civil_affairs', // 民政
  'justice', // 司法
  'health', // 卫健
  'education', // 教育
  'transport', // 交通运输
  'natural_resources', // 自然资源和规划
  'water', // 水利
  'human_resources', // 人力资源和社会保障
  'township_office', // 乡镇人民政府 / 街道办事处
  'community_committee', // 村（居）民委员会
  'grid_team', // 网格
  'command_centre', // 社会治理（指挥）中心
] as const;
export type DepartmentType = (typeof DEPARTMENT_TYPES)[number];

export function isDepartmentType(value: string): value is DepartmentType {
  return (DEPARTMENT_TYPES as readonly string[]).includes(value);
}
