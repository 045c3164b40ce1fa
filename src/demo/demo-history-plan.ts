import type { WorkCalendar } from '../core/calendar/work-calendar.ts';
import type { Channel } from '../core/workflow/stages.ts';

/**
 * The synthetic patterns of the demo history (docs/demo.md): how many reports arrive on which
 * day and hour, through which channel, in which category, with which words. Pure and seeded, so
 * one seed always gives the same year.
 */

/** mulberry32: small, fast and good enough for synthetic data; never for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export const between = (random: Random, low: number, high: number) => low + random() * (high - low);
export const chance = (random: Random, p: number) => random() < p;
export const pickOne = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

/** An index drawn with probability proportional to its weight. */
export function pickWeighted(random: Random, weights: readonly number[], total?: number): number {
  let r = random() * (total ?? weights.reduce((s, w) => s + w, 0));
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** A deterministic id in the shape of a UUID v4, so that the API's id checks accept it. */
export function syntheticUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * Relative report volume of each 二级 category, and its season: `summer` peaks in 汛期
 * (June–August: rubbish, flooding, burst mains), `winter` in December–February (gas, fire).
 */
const GROUPS: Record<string, { weight: number; season?: 'summer' | 'winter' }> = {
  市容环境: { weight: 14, season: 'summer' },
  街面秩序: { weight: 11 },
  宣传广告: { weight: 4 },
  施工管理: { weight: 5 },
  突发事件: { weight: 2, season: 'summer' },
  公用设施: { weight: 4 },
  道路交通设施: { weight: 3 },
  市容环境设施: { weight: 3, season: 'summer' },
  园林绿化设施: { weight: 2 },
  邻里纠纷: { weight: 4 },
  物业管理纠纷: { weight: 4 },
  劳资纠纷: { weight: 1.5 },
  消防安全: { weight: 2.5, season: 'winter' },
  燃气安全: { weight: 1.5, season: 'winter' },
  自然灾害隐患: { weight: 1, season: 'summer' },
  治安防范: { weight: 1.5 },
  社会保障: { weight: 2 },
  公用事业: { weight: 2, season: 'summer' },
  养老助残: { weight: 1.5 },
  政策咨询: { weight: 3 },
  意见建议: { weight: 2 },
};
const OTHER_WEIGHT = 0.8;

/** Month factors (index 0 = January). */
const SEASONS = {
  summer: [0.6, 0.6, 0.75, 0.9, 1.1, 1.6, 1.9, 1.8, 1.2, 0.9, 0.7, 0.6],
  winter: [1.9, 1.7, 1.2, 0.9, 0.7, 0.6, 0.6, 0.6, 0.7, 0.9, 1.3, 1.8],
  none: [0.9, 0.8, 1, 1, 1, 1, 1.05, 1.05, 1, 0.95, 1, 1],
} as const;

export interface LeafCategory {
  code: string;
  name: string;
  group: string;
}

export function categoryWeight(c: LeafCategory, month: number, groupSize: number): number {
  const g = GROUPS[c.group];
  const season = SEASONS[g?.season ?? 'none'][month]!;
  return ((g?.weight ?? OTHER_WEIGHT) / groupSize) * season;
}

/** Reports on a day off are fewer: patrols thin out, and residents call rather than log in. */
export function dayFactor(calendar: WorkCalendar, day: number): number {
  return calendar.isWorkingDay(day) ? 1 : 0.55;
}

/** Share of each channel on working days and days off. */
const CHANNEL_MIX: Record<Channel, [number, number]> = {
  web: [30, 36],
  hotline: [30, 42],
  patrol: [24, 8],
  open311: [2, 2],
  sensor: [5, 7],
  referral: [6, 3],
  whistle: [3, 2],
};
const CHANNELS_LISTED = Object.keys(CHANNEL_MIX) as Channel[];

export function pickChannel(random: Random, workingDay: boolean): Channel {
  return CHANNELS_LISTED[
    pickWeighted(
      random,
      CHANNELS_LISTED.map((c) => CHANNEL_MIX[c][workingDay ? 0 : 1]),
    )
  ]!;
}

/** Hour weights of a day (China time): mostly 08–18, an evening tail from residents. */
const HOURS = [1, 0.5, 0.3, 0.3, 0.4, 0.8, 2, 5, 9, 12, 12, 10, 6, 7, 11, 11, 10, 8, 5, 4, 3.5, 3, 2, 1.5];

/** Milliseconds after China-time midnight. */
export function pickTimeOfDay(random: Random): number {
  return (pickWeighted(random, HOURS) + random()) * 3_600_000;
}

const TEXTS: Record<string, Array<[string, string]>> = {
  市容环境: [
    ['垃圾堆放未清运', '垃圾桶满溢，周边有散落垃圾，气味较大'],
    ['道路有油污和垃圾', '路面有大片油污和散落垃圾，行人容易滑倒'],
    ['河道漂浮垃圾', '河面有塑料瓶和漂浮物，影响环境'],
  ],
  街面秩序: [
    ['店外占道经营', '商户把货架摆到人行道上，行人只能走机动车道'],
    ['共享单车乱停放', '大量共享单车堆在路口，堵住盲道'],
    ['机动车占用消防通道', '有车辆长期停在小区消防通道上'],
  ],
  施工管理: [
    ['夜间施工噪音扰民', '晚上十点以后仍有机械施工，噪音很大'],
    ['工地扬尘严重', '工地未覆盖裸土，刮风时扬尘明显'],
  ],
  突发事件: [
    ['暴雨后道路积水', '雨后路面积水较深，车辆和行人难以通行'],
    ['路面出现塌陷', '路面出现一处凹陷，已有车辆颠簸'],
  ],
  邻里纠纷: [['邻居噪音纠纷', '楼上住户长期深夜噪音，协商未果，希望社区调解']],
  物业管理纠纷: [['物业服务不到位', '电梯多次故障，物业迟迟不维修']],
  消防安全: [['楼道电动车充电', '有住户在楼道内给电动车充电，存在火灾隐患']],
  燃气安全: [['闻到燃气味', '楼道内有明显燃气味，担心泄漏']],
  政策咨询: [['咨询办事流程', '想了解相关证明的办理地点和所需材料']],
};

export function caseText(random: Random, c: LeafCategory, place: string): [string, string] {
  const texts = TEXTS[c.group];
  if (texts) {
    const [title, body] = pickOne(random, texts);
    return [title, `${place}：${body}。（演示数据）`];
  }
  return [`${c.name}问题`, `${place}发现${c.name}问题，请相关部门核实处理。（演示数据）`];
}

/** Obviously fake reporters: 居民 + number and a 1380000xxxx number, or anonymous. */
export function syntheticReporter(random: Random): { name: string; phone: string } {
  const n = String(Math.floor(random() * 10_000)).padStart(4, '0');
  return { name: `居民${n}`, phone: `1380000${n}` };
}
