import type { Clock } from '../core/clock.ts';
import type { DepartmentType } from '../core/organisation/department-types.ts';
import type { DbOrTx } from '../db/schema.ts';
import { createDepartments, type NewDepartment } from '../organisation/departments.ts';
import { listWithin } from '../regions/find-regions.ts';

/** The line departments of the demo county (西湖区), with the ids the demo accounts refer to. */
const COUNTY_DEPARTMENTS: Array<[string, DepartmentType, string]> = [
  ['urban', 'urban_management', '西湖区城市管理局（综合行政执法局）'],
  ['market', 'market_regulation', '西湖区市场监督管理局'],
  ['police', 'public_security', '杭州市公安局西湖区分局'],
  ['housing', 'housing_construction', '西湖区住房和城乡建设局'],
  ['ecology', 'ecology_environment', '杭州市生态环境局西湖分局'],
  ['emergency', 'emergency_management', '西湖区应急管理局'],
  ['civil', 'civil_affairs', '西湖区民政局'],
  ['justice', 'justice', '西湖区司法局'],
  ['health', 'health', '西湖区卫生健康局'],
  ['education', 'education', '西湖区教育局'],
  ['transport', 'transport', '西湖区交通运输局'],
  ['resources', 'natural_resources', '杭州市规划和自然资源局西湖分局'],
  ['water', 'water', '西湖区农业农村局（水利）'],
  ['labour', 'human_resources', '西湖区人力资源和社会保障局'],
  ['centre', 'command_centre', '西湖区社会治理中心'],
];

export function demoDepartmentId(county: string, key: string): string {
  return `dept-${county}-${key}`;
}

/**
 * 西湖区's handling units: its line departments and command centre, every township office and
 * community committee, plus the command centres of 杭州市 and 浙江省 above it.
 */
export async function seedDemoOrganisation(deps: { db: DbOrTx; clock: Clock }, county = '330106') {
  const townships = await listWithin(deps.db, county, 'township');
  const communities = await listWithin(deps.db, county, 'community');
  const units: NewDepartment[] = [
    { id: 'centre-33', name: '浙江省社会治理中心', type: 'command_centre', region: '33' },
    { id: 'centre-3301', name: '杭州市社会治理中心', type: 'command_centre', region: '3301' },
    ...COUNTY_DEPARTMENTS.map(([key, type, name]) => ({
      id: demoDepartmentId(county, key),
      name,
      type,
      region: county,
    })),
    ...townships.map((t) => ({
      id: `office-${t.code.slice(0, 9)}`,
      name: t.name.endsWith('街道') ? `${t.name}办事处` : `${t.name}人民政府`,
      type: 'township_office' as const,
      region: t.code,
    })),
    ...communities.map((c) => ({
      id: `committee-${c.code}`,
      name: c.name.endsWith('会') ? c.name : `${c.name}居民委员会`,
      type: 'community_committee' as const,
      region: c.code,
    })),
  ];
  return createDepartments({ ...deps, actor: null }, units);
}
