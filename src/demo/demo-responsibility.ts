import type { Clock } from '../core/clock.ts';
import type { DepartmentType } from '../core/organisation/department-types.ts';
import type {
  HandlerRef,
  LegalBasis,
  ResponsibilityEntry,
  TimeLimit,
  TownshipDuty,
  TownshipDutyKind,
} from '../core/responsibility/entries.ts';
import type { Store } from '../db/database.ts';
import { listWithin } from '../regions/find-regions.ts';
import { draftList } from '../responsibility/draft-list.ts';
import { publishList } from '../responsibility/publish-list.ts';
import { saveDraft, type Writer } from '../responsibility/save-draft.ts';

type Rule = [DepartmentType, string, string, TimeLimit?, DepartmentType?];

const h = (amount: number, unit: TimeLimit['unit']): TimeLimit => ({ amount, unit });
const URGENT = h(24, 'urgent_hours');
const DISPUTE = h(15, 'work_days');

/**
 * Who leads each 二级 category of the base taxonomy, by name, with its legal basis: the demo's
 * province-wide list (浙江省). Names, not codes, so that the mapping reads as the policy it is.
 */
const BY_NAME: Record<string, Rule> = {
  公用设施: ['housing_construction', '《城市道路管理条例》', '第二十三条'],
  道路交通设施: ['transport', '《城市道路管理条例》', '第二十八条'],
  市容环境设施: ['urban_management', '《城市市容和环境卫生管理条例》', '第十条'],
  园林绿化设施: ['urban_management', '《城市绿化条例》', '第二十条'],
  其他设施: ['urban_management', '《城市市容和环境卫生管理条例》', '第九条'],
  市容环境: ['urban_management', '《城市市容和环境卫生管理条例》', '第十条'],
  宣传广告: ['urban_management', '《浙江省城市市容和环境卫生管理条例》', '第十七条'],
  施工管理: ['housing_construction', '《建设工程安全生产管理条例》', '第三十条'],
  突发事件: ['emergency_management', '《中华人民共和国突发事件应对法》', '第七条', URGENT],
  街面秩序: ['urban_management', '《浙江省综合行政执法条例》', '第十二条', undefined, 'public_security'],
  邻里纠纷: ['justice', '《中华人民共和国人民调解法》', '第八条', DISPUTE, 'community_committee'],
  婚姻家庭纠纷: ['justice', '《中华人民共和国人民调解法》', '第八条', DISPUTE, 'civil_affairs'],
  物业管理纠纷: ['housing_construction', '《物业管理条例》', '第五条', DISPUTE],
  劳资纠纷: ['human_resources', '《保障农民工工资支付条例》', '第十条', DISPUTE],
  土地纠纷: ['natural_resources', '《中华人民共和国土地管理法》', '第十四条', DISPUTE],
  消防安全: ['emergency_management', '《中华人民共和国消防法》', '第四条', URGENT],
  燃气安全: ['housing_construction', '《城镇燃气管理条例》', '第五条', URGENT],
  房屋建筑安全: ['housing_construction', '《建设工程质量管理条例》', '第四十三条', URGENT],
  生产经营安全: ['emergency_management', '《中华人民共和国安全生产法》', '第十条', URGENT],
  自然灾害隐患: [
    'emergency_management',
    '《中华人民共和国突发事件应对法》',
    '第十七条',
    URGENT,
    'natural_resources',
  ],
  治安防范: ['public_security', '《中华人民共和国治安管理处罚法》', '第七条'],
  扰乱公共秩序: ['public_security', '《中华人民共和国治安管理处罚法》', '第二十三条', URGENT],
  黄赌毒线索: ['public_security', '《中华人民共和国治安管理处罚法》', '第六十六条'],
  诈骗线索: ['public_security', '《中华人民共和国反电信网络诈骗法》', '第六条', URGENT],
  社会保障: ['human_resources', '《中华人民共和国社会保险法》', '第七条'],
  就业创业: ['human_resources', '《中华人民共和国就业促进法》', '第六条'],
  教育: ['education', '《中华人民共和国教育法》', '第十五条'],
  医疗卫生: ['health', '《中华人民共和国基本医疗卫生与健康促进法》', '第七条'],
  证照办理: ['market_regulation', '《中华人民共和国市场主体登记管理条例》', '第五条'],
  公用事业: ['housing_construction', '《城镇供水条例》', '第七条'],
  养老助残: ['civil_affairs', '《中华人民共和国老年人权益保障法》', '第六条'],
  政策咨询: ['command_centre', '国办发〔2020〕53号', '二、（三）', h(3, 'work_days')],
  意见建议: ['command_centre', '国办发〔2020〕53号', '二、（四）', h(5, 'work_days')],
};

/** Every 大类 has an owner too, so that a subcategory a county adds is never unowned. */
const BY_ROOT_NAME: Record<string, Rule> = {
  部件: ['urban_management', '《城市市容和环境卫生管理条例》', '第九条'],
  事件: ['urban_management', '《浙江省综合行政执法条例》', '第十二条'],
  矛盾纠纷: ['justice', '《中华人民共和国人民调解法》', '第五条', DISPUTE],
  安全隐患: ['emergency_management', '《中华人民共和国安全生产法》', '第十条', URGENT],
  社会治安: ['public_security', '《中华人民共和国治安管理处罚法》', '第七条'],
  公共服务: ['civil_affairs', '《浙江省公共服务标准化管理办法》', '第三条'],
  咨询建议: ['command_centre', '国办发〔2020〕53号', '二、（三）', h(3, 'work_days')],
};

/** 乡镇履职事项清单 of every 西湖区 township, by category name. */
const TOWNSHIP: Record<string, TownshipDutyKind> = {
  邻里纠纷: 'basic',
  婚姻家庭纠纷: 'basic',
  物业管理纠纷: 'basic',
  养老助残: 'basic',
  市容环境: 'assisting',
  街面秩序: 'assisting',
  土地纠纷: 'assisting',
  消防安全: 'assisting',
  黄赌毒线索: 'returned',
  诈骗线索: 'returned',
  施工管理: 'returned',
};

function entry(id: string, category: string, rule: Rule, scope: string | null = null): ResponsibilityEntry {
  const [type, law, article, handling, co] = rule;
  const legal_basis: LegalBasis = { law, article, text: `${law}${article}` };
  const co_handlers: HandlerRef[] = co
    ? [{ type: co, level: co === 'community_committee' ? 'community' : 'county' }]
    : [];
  return {
    id,
    category_code: category,
    scope_region_code: scope,
    lead: { type, level: 'county' },
    co_handlers,
    legal_basis,
    limits: {
      registration: h(2, 'work_hours'),
      dispatch: h(1, 'work_hours'),
      handling: handling ?? h(5, 'work_days'),
      verification: h(1, 'work_days'),
    },
    escalation: 'parent_command_centre',
  };
}

/**
 * Publishes the demo lists: 浙江省's base list over its taxonomy, and 西湖区's own list with two
 * county overrides and the duty lists of its townships.
 */
export async function seedDemoResponsibility(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock; actor: Writer },
  county = '330106',
): Promise<void> {
  const categories = await deps.store.db
    .selectFrom('categories')
    .select(['code', 'name', 'parent_code'])
    .where('region_code', '=', '330000000000')
    .execute();
  const roots = new Set(categories.filter((c) => c.parent_code === null).map((c) => c.code));
  const province: ResponsibilityEntry[] = [];
  const named = new Map<string, string>();
  for (const c of categories) {
    const rule =
      c.parent_code === null ? BY_ROOT_NAME[c.name] : roots.has(c.parent_code) ? BY_NAME[c.name] : undefined;
    if (rule) province.push(entry(`zj-${c.code}`, c.code, rule));
    if (c.parent_code && roots.has(c.parent_code)) named.set(c.name, c.code);
  }
  const provinceDraft = await draftList(deps, { region: '33', title: '浙江省基层治理事项权责清单（示例）' });
  await saveDraft(deps, provinceDraft.id, { entries: province, township_duties: [] });
  await publishList(deps, provinceDraft.id);

  const countyCode = `${county}000000`;
  const overrides: ResponsibilityEntry[] = [];
  const street = named.get('街面秩序');
  if (street)
    overrides.push(
      entry('xh-street', street, [
        'urban_management',
        '《杭州市城市管理条例》',
        '第二十六条',
        h(3, 'work_days'),
        'public_security',
      ]),
    );
  const property = named.get('物业管理纠纷');
  if (property)
    overrides.push(
      entry('xh-property', property, [
        'housing_construction',
        '《杭州市物业管理条例》',
        '第八条',
        h(10, 'work_days'),
        'civil_affairs',
      ]),
    );
  const duties: TownshipDuty[] = [];
  for (const township of await listWithin(deps.store.db, county, 'township')) {
    for (const [name, duty] of Object.entries(TOWNSHIP)) {
      const code = named.get(name);
      if (code) duties.push({ township_code: township.code, category_code: code, duty });
    }
  }
  const countyDraft = await draftList(deps, {
    region: countyCode,
    title: '西湖区权责清单及乡镇（街道）履职事项清单（示例）',
  });
  await saveDraft(deps, countyDraft.id, { entries: overrides, township_duties: duties });
  await publishList(deps, countyDraft.id);
}
