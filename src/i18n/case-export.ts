import type { Label } from './case-labels.ts';

/** The worklist export's sheets and columns, Chinese first (src/cases/export-cases.ts). */
export const EXPORT_TEXTS = {
  casesSheet: { zh: '事件', en: 'Cases' },
  filtersSheet: { zh: '筛选条件', en: 'Filters' },
  filter: { zh: '条件', en: 'Filter' },
  value: { zh: '取值', en: 'Value' },
  exportedAt: { zh: '导出时间', en: 'Exported at' },
  exportedBy: { zh: '导出人', en: 'Exported by' },
  total: { zh: '事件数', en: 'Cases' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
} satisfies Record<string, Label>;

export const EXPORT_COLUMNS = {
  reference: { zh: '事件编号', en: 'Reference' },
  title: { zh: '标题', en: 'Title' },
  stage: { zh: '阶段', en: 'Stage' },
  category: { zh: '分类代码', en: 'Category' },
  channel: { zh: '来源渠道', en: 'Channel' },
  region: { zh: '地区代码', en: 'Region' },
  grid: { zh: '网格', en: 'Grid' },
  address: { zh: '地址', en: 'Address' },
  reporter_name: { zh: '报告人', en: 'Reporter' },
  reporter_phone: { zh: '联系电话', en: 'Phone' },
  owner_department: { zh: '责任单位', en: 'Owner department' },
  light: { zh: '时限状态', en: 'Deadline light' },
  used_percent: { zh: '已用时限（%）', en: 'Limit used (%)' },
  stage_deadline: { zh: '本阶段时限', en: 'Stage deadline' },
  overdue: { zh: '是否超期', en: 'Overdue' },
  returns: { zh: '回退次数', en: 'Returns' },
  reworks: { zh: '返工次数', en: 'Reworks' },
  reported_at: { zh: '上报时间', en: 'Reported at' },
  closed_at: { zh: '结案时间', en: 'Closed at' },
} satisfies Record<string, Label>;

export const LIGHT_LABELS = {
  green: { zh: '正常', en: 'on time' },
  yellow: { zh: '预警', en: 'warning' },
  red: { zh: '临期或超期', en: 'due or overdue' },
} satisfies Record<'green' | 'yellow' | 'red', Label>;

/** A header cell: `事件编号 Reference`. */
export const both = (label: Label): string => `${label.zh} ${label.en}`;
