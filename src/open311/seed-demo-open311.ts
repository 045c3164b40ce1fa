import type { Clock } from '../core/clock.ts';
import type { AttributeDefinition } from '../core/open311/attributes.ts';
import type { Db } from '../db/schema.ts';
import { issueApiKey } from './issue-api-key.ts';
import { setServiceDefinition } from './set-service-definition.ts';

/** The key the demo database accepts (docs/CONTRACT.md). */
export const DEMO_OPEN311_KEY = 'demo-open311-key';
/** A back-office system of 西湖区 城管 posting status updates as dept.urban (docs/open311.md). */
export const DEMO_OPEN311_URBAN_KEY = 'demo-open311-urban-key';

const SYSTEM = { user_id: null, username: 'system' };

type Question = Omit<AttributeDefinition, 'datatype_description' | 'variable' | 'required' | 'values'> &
  Partial<Pick<AttributeDefinition, 'datatype_description' | 'variable' | 'required' | 'values'>>;

const q = (a: Question): AttributeDefinition => ({
  variable: true,
  required: false,
  datatype_description: null,
  values: [],
  ...a,
});
const v = (key: string, name: string) => ({ key, name });

/** A few service definitions that use every datatype of the spec, on common demo categories. */
export const DEMO_DEFINITIONS: Record<string, AttributeDefinition[]> = {
  // 上水井盖 Water-supply manhole cover
  BJ0101: [
    q({
      code: 'cover_state',
      order: 1,
      datatype: 'singlevaluelist',
      required: true,
      description: '井盖状况 / Cover condition',
      values: [
        v('missing', '缺失 / Missing'),
        v('broken', '破损 / Broken'),
        v('sunken', '下沉 / Sunken'),
        v('rattles', '异响 / Rattles'),
      ],
    }),
    q({
      code: 'at_risk',
      order: 2,
      datatype: 'multivaluelist',
      description: '危及对象 / Who is at risk',
      values: [
        v('pedestrians', '行人 / Pedestrians'),
        v('cyclists', '非机动车 / Cyclists'),
        v('vehicles', '机动车 / Vehicles'),
      ],
    }),
    q({
      code: 'safety_notice',
      order: 3,
      datatype: 'text',
      variable: false,
      description:
        '井盖缺失时请远离并提醒他人，有条件可在周边放置警示物 / If the cover is missing, keep away, warn others and mark the spot if you can',
    }),
  ],
  // 路面塌陷 Road collapse
  SJ0401: [
    q({
      code: 'area_m2',
      order: 1,
      datatype: 'number',
      required: true,
      description: '塌陷面积约多少平方米 / About how many square metres',
      datatype_description: '数字，可含小数 / A number, decimals allowed',
    }),
    q({
      code: 'lanes_blocked',
      order: 2,
      datatype: 'singlevaluelist',
      required: true,
      description: '是否阻断车道 / Are lanes blocked',
      values: [v('yes', '是 / Yes'), v('no', '否 / No')],
    }),
    q({
      code: 'first_seen',
      order: 3,
      datatype: 'datetime',
      description: '首次发现时间 / When was it first seen',
      datatype_description: '日期时间含时区，如 2026-03-02T09:30+08:00 / Date and time with zone',
    }),
  ],
  // 机动车乱停放 Illegal car parking
  SJ0503: [
    q({
      code: 'blocking',
      order: 1,
      datatype: 'multivaluelist',
      required: true,
      description: '占用了哪里 / What does it block',
      values: [
        v('fire_lane', '消防通道 / Fire lane'),
        v('pavement', '人行道 / Pavement'),
        v('entrance', '出入口 / Entrance'),
        v('bus_stop', '公交站 / Bus stop'),
      ],
    }),
    q({
      code: 'landmark',
      order: 2,
      datatype: 'string',
      description: '附近标志物（门牌号、店名等）/ Nearby landmark (house number, shop name …)',
    }),
  ],
  // 噪声扰邻 Noise between neighbours
  MD0101: [
    q({
      code: 'time_of_day',
      order: 1,
      datatype: 'singlevaluelist',
      required: true,
      description: '主要发生时段 / When does it mostly happen',
      values: [
        v('night', '夜间 22:00–06:00 / Night'),
        v('day', '白天 / Daytime'),
        v('both', '全天 / Day and night'),
      ],
    }),
    q({
      code: 'details',
      order: 2,
      datatype: 'text',
      description:
        '补充说明（持续多久、是否已沟通）/ More details (how long, whether you have talked to them)',
    }),
  ],
};

/**
 * The demo's Open311 side: the service definitions above, the key `demo-open311-key` (requests and
 * updates, 西湖区, as county.center) and `demo-open311-urban-key` (updates as dept.urban). Needs
 * the base taxonomy, the demo accounts and the demo county's regions.
 */
export async function seedDemoOpen311(deps: { db: Db; clock: Clock }, county: string): Promise<void> {
  const system = { ...deps, actor: SYSTEM };
  for (const [code, attributes] of Object.entries(DEMO_DEFINITIONS)) {
    await setServiceDefinition(system, code, attributes);
  }
  await issueApiKey(system, {
    key: DEMO_OPEN311_KEY,
    label: '演示客户端 / Demo client',
    rights: ['requests', 'updates'],
    rate_per_minute: 600,
    region: county,
    username: 'county.center',
  });
  await issueApiKey(system, {
    key: DEMO_OPEN311_URBAN_KEY,
    label: '城管业务系统（演示）/ Urban management back office (demo)',
    rights: ['updates'],
    rate_per_minute: 600,
    region: county,
    username: 'dept.urban',
  });
}
