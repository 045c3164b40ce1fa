import type { Clock } from '../core/clock.ts';
import type { CategoryKind } from '../core/taxonomy/codes.ts';
import type { Store } from '../db/database.ts';
import { resolveScope } from './visible-categories.ts';
import { writeDrafts, type DraftRow, type WriteReport } from './write-categories.ts';
import { inTransaction } from '../db/transaction.ts';

/** [segment, 中文名, English name, children] */
type Node = [string, string, string, Node[]?];
type Root = { code: string; kind: CategoryKind; name: string; name_en: string; children: Node[] };

/**
 * The base taxonomy a province publishes. 部件 (BJ) and 事件 (SJ) keep the GB/T 30428.2 大类/小类
 * codes under their root; codes marked in docs/taxonomy.md as unverified follow the standard's
 * names in catalogue order and must be checked against the province's 立结案标准 before use.
 */
export const BASE_TAXONOMY: Root[] = [
  {
    code: 'BJ',
    kind: 'component',
    name: '部件',
    name_en: 'Components',
    children: [
      [
        '01',
        '公用设施',
        'Public utilities',
        [
          ['01', '上水井盖', 'Water-supply manhole cover'],
          ['02', '污水井盖', 'Sewer manhole cover'],
          ['03', '雨水井盖', 'Storm-drain manhole cover'],
          ['04', '雨水箅子', 'Storm-drain grate'],
          ['05', '电力井盖', 'Power manhole cover'],
          ['06', '路灯井盖', 'Street-light manhole cover'],
          ['07', '通讯井盖', 'Telecom manhole cover'],
          ['11', '燃气井盖', 'Gas manhole cover'],
        ],
      ],
      [
        '02',
        '道路交通设施',
        'Road and traffic facilities',
        [
          ['01', '交通标志牌', 'Traffic sign'],
          ['02', '交通信号灯', 'Traffic light'],
          ['03', '道路护栏', 'Road guardrail'],
          ['04', '公交站亭', 'Bus shelter'],
        ],
      ],
      [
        '03',
        '市容环境设施',
        'City-appearance facilities',
        [
          ['01', '公共厕所', 'Public toilet'],
          ['02', '垃圾箱', 'Litter bin'],
          ['03', '垃圾收集站', 'Refuse collection point'],
        ],
      ],
      [
        '04',
        '园林绿化设施',
        'Landscaping facilities',
        [
          ['01', '行道树', 'Street tree'],
          ['02', '绿地', 'Green space'],
          ['03', '护树设施', 'Tree guard'],
        ],
      ],
      [
        '05',
        '其他设施',
        'Other facilities',
        [
          ['01', '宣传栏', 'Notice board'],
          ['02', '人防工事', 'Civil air-defence works'],
        ],
      ],
    ],
  },
  {
    code: 'SJ',
    kind: 'event',
    name: '事件',
    name_en: 'Events',
    children: [
      [
        '01',
        '市容环境',
        'City appearance',
        [
          ['01', '私搭乱建', 'Unauthorised construction'],
          ['02', '暴露垃圾', 'Exposed rubbish'],
          ['03', '积存垃圾渣土', 'Accumulated rubbish and muck'],
          ['04', '道路不洁', 'Dirty road'],
          ['05', '水域不洁', 'Dirty waterway'],
          ['06', '绿地脏乱', 'Littered green space'],
        ],
      ],
      [
        '02',
        '宣传广告',
        'Advertising',
        [
          ['01', '非法小广告', 'Illegal flyers'],
          ['02', '违规户外广告', 'Non-compliant outdoor advertising'],
        ],
      ],
      [
        '03',
        '施工管理',
        'Construction management',
        [
          ['01', '施工扰民', 'Construction disturbing residents'],
          ['02', '施工占道', 'Construction occupying the road'],
          ['03', '工地扬尘', 'Construction dust'],
          ['04', '施工废弃料', 'Construction waste'],
        ],
      ],
      [
        '04',
        '突发事件',
        'Emergencies',
        [
          ['01', '路面塌陷', 'Road collapse'],
          ['02', '供水管破裂', 'Burst water main'],
          ['03', '燃气泄漏', 'Gas leak'],
          ['04', '道路积水', 'Road flooding'],
        ],
      ],
      [
        '05',
        '街面秩序',
        'Street order',
        [
          ['01', '占道经营', 'Street vending on the road'],
          ['02', '店外经营', 'Trading outside the shop'],
          ['03', '机动车乱停放', 'Illegal car parking'],
          ['04', '非机动车乱停放', 'Illegal bicycle parking'],
          ['05', '沿街晾挂', 'Laundry hung along the street'],
        ],
      ],
    ],
  },
  {
    code: 'MD',
    kind: 'dispute',
    name: '矛盾纠纷',
    name_en: 'Disputes',
    children: [
      [
        '01',
        '邻里纠纷',
        'Neighbour disputes',
        [
          ['01', '噪声扰邻', 'Noise between neighbours'],
          ['02', '漏水渗水', 'Leaks between homes'],
          ['03', '公共空间占用', 'Occupied shared space'],
          ['04', '宠物饲养', 'Pets'],
        ],
      ],
      [
        '02',
        '婚姻家庭纠纷',
        'Family disputes',
        [
          ['01', '婚姻纠纷', 'Marriage'],
          ['02', '赡养抚养纠纷', 'Support of parents or children'],
          ['03', '继承纠纷', 'Inheritance'],
          ['04', '家庭暴力', 'Domestic violence'],
        ],
      ],
      [
        '03',
        '物业管理纠纷',
        'Property-management disputes',
        [
          ['01', '物业服务质量', 'Quality of property services'],
          ['02', '物业费纠纷', 'Property fees'],
          ['03', '专项维修资金', 'Maintenance fund'],
          ['04', '业主委员会', "Owners' committee"],
        ],
      ],
      [
        '04',
        '劳资纠纷',
        'Labour disputes',
        [
          ['01', '拖欠工资', 'Unpaid wages'],
          ['02', '劳动合同', 'Employment contract'],
          ['03', '工伤赔偿', 'Work-injury compensation'],
          ['04', '社会保险缴纳', 'Social-insurance contributions'],
        ],
      ],
      [
        '05',
        '土地纠纷',
        'Land disputes',
        [
          ['01', '宅基地纠纷', 'Homestead plots'],
          ['02', '土地承包经营', 'Contracted farmland'],
          ['03', '征地拆迁', 'Land requisition and demolition'],
          ['04', '山林权属', 'Forest tenure'],
        ],
      ],
    ],
  },
  {
    code: 'AQ',
    kind: 'hazard',
    name: '安全隐患',
    name_en: 'Safety hazards',
    children: [
      [
        '01',
        '消防安全',
        'Fire safety',
        [
          ['01', '消防通道堵塞', 'Blocked fire lane'],
          ['02', '电动车违规充电', 'Unsafe e-bike charging'],
          ['03', '消防设施损坏', 'Broken fire equipment'],
        ],
      ],
      [
        '02',
        '燃气安全',
        'Gas safety',
        [
          ['01', '燃气管线隐患', 'Gas pipeline hazard'],
          ['02', '瓶装燃气违规使用', 'Unsafe bottled gas'],
        ],
      ],
      [
        '03',
        '房屋建筑安全',
        'Building safety',
        [
          ['01', '危险房屋', 'Dangerous building'],
          ['02', '高空坠物', 'Falling objects'],
          ['03', '违规装修', 'Unsafe renovation'],
        ],
      ],
      [
        '04',
        '生产经营安全',
        'Workplace safety',
        [
          ['01', '三合一场所', 'Live-work premises'],
          ['02', '危险化学品', 'Hazardous chemicals'],
        ],
      ],
      [
        '05',
        '自然灾害隐患',
        'Natural-disaster risks',
        [
          ['01', '地质灾害隐患', 'Geological hazard'],
          ['02', '防汛隐患', 'Flood risk'],
        ],
      ],
    ],
  },
  {
    code: 'ZA',
    kind: 'public_order',
    name: '社会治安',
    name_en: 'Public order',
    children: [
      [
        '01',
        '治安防范',
        'Crime prevention',
        [
          ['01', '可疑人员线索', 'Suspicious persons'],
          ['02', '技防设施损坏', 'Broken surveillance equipment'],
          ['03', '物防设施缺失', 'Missing physical security'],
        ],
      ],
      [
        '02',
        '扰乱公共秩序',
        'Disturbing public order',
        [
          ['01', '聚众滋事', 'Affray'],
          ['02', '非法聚集', 'Unlawful gathering'],
        ],
      ],
      [
        '03',
        '黄赌毒线索',
        'Vice leads',
        [
          ['01', '赌博', 'Gambling'],
          ['02', '涉毒线索', 'Drug leads'],
          ['03', '卖淫嫖娼', 'Prostitution'],
        ],
      ],
      [
        '04',
        '诈骗线索',
        'Fraud leads',
        [
          ['01', '电信网络诈骗', 'Telecom and online fraud'],
          ['02', '非法集资', 'Illegal fund-raising'],
        ],
      ],
    ],
  },
  {
    code: 'FW',
    kind: 'service',
    name: '公共服务',
    name_en: 'Public-service requests',
    children: [
      [
        '01',
        '社会保障',
        'Social security',
        [
          ['01', '养老保险', 'Pension insurance'],
          ['02', '医疗保险', 'Medical insurance'],
          ['03', '低保救助', 'Minimum living allowance'],
        ],
      ],
      [
        '02',
        '就业创业',
        'Employment',
        [
          ['01', '就业援助', 'Job assistance'],
          ['02', '技能培训', 'Skills training'],
        ],
      ],
      [
        '03',
        '教育',
        'Education',
        [
          ['01', '入学', 'School enrolment'],
          ['02', '校外培训', 'Private tutoring'],
        ],
      ],
      [
        '04',
        '医疗卫生',
        'Health',
        [
          ['01', '就医服务', 'Medical care'],
          ['02', '公共卫生', 'Public health'],
        ],
      ],
      [
        '05',
        '证照办理',
        'Certificates',
        [
          ['01', '户籍', 'Household registration'],
          ['02', '居住证', 'Residence permit'],
        ],
      ],
      [
        '06',
        '公用事业',
        'Utilities',
        [
          ['01', '供水', 'Water supply'],
          ['02', '供电', 'Power supply'],
          ['03', '供气', 'Gas supply'],
          ['04', '通信网络', 'Telecoms'],
        ],
      ],
      [
        '07',
        '养老助残',
        'Elderly and disability care',
        [
          ['01', '居家养老', 'Home-based elderly care'],
          ['02', '助残服务', 'Disability services'],
        ],
      ],
    ],
  },
  {
    code: 'ZX',
    kind: 'consultation',
    name: '咨询建议',
    name_en: 'Consultations and suggestions',
    children: [
      [
        '01',
        '政策咨询',
        'Policy enquiries',
        [
          ['01', '政策解读', 'Policy explanation'],
          ['02', '办事指南', 'How to get things done'],
        ],
      ],
      [
        '02',
        '意见建议',
        'Suggestions',
        [
          ['01', '城市管理建议', 'City management'],
          ['02', '社区治理建议', 'Community governance'],
          ['03', '公共服务建议', 'Public services'],
        ],
      ],
      ['03', '表扬感谢', 'Praise and thanks', [['01', '表扬感谢', 'Praise and thanks']]],
    ],
  },
];

/** The base taxonomy as drafts, parents first. */
export function baseTaxonomyDrafts(): DraftRow[] {
  const out: DraftRow[] = [];
  const walk = (parent: string, kind: CategoryKind, nodes: Node[]) =>
    nodes.forEach(([segment, name, name_en, children], i) => {
      out.push({
        row: out.length + 1,
        code: parent + segment,
        parent_code: parent,
        name,
        name_en,
        kind,
        sort: i + 1,
      });
      if (children) walk(parent + segment, kind, children);
    });
  BASE_TAXONOMY.forEach((root, i) => {
    out.push({
      row: out.length + 1,
      code: root.code,
      parent_code: null,
      name: root.name,
      name_en: root.name_en,
      kind: root.kind,
      sort: i + 1,
    });
    walk(root.code, root.kind, root.children);
  });
  return out;
}

/**
 * Publishes the base taxonomy as the province's (`provinceCode` in any accepted form, e.g. 浙江省
 * `330000000000` or `33`). Idempotent: a second call reports everything unchanged.
 */
export async function seedBaseTaxonomy(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock },
  provinceCode: string,
): Promise<WriteReport> {
  return inTransaction(deps.store.db, async (tx) => {
    const scope = await resolveScope(tx, provinceCode);
    return writeDrafts(tx, { traits: deps.store.traits, clock: deps.clock }, scope, baseTaxonomyDrafts());
  });
}
