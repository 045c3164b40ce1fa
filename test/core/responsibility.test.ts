import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  Department,
  HandlerRef,
  ResponsibilityEntry,
  ResponsibilityList,
} from '../../src/core/responsibility/entries.ts';
import {
  checkTownshipLead,
  compileRules,
  resolveOwner,
  type RegionStep,
} from '../../src/core/responsibility/resolve.ts';
import { validateListContent } from '../../src/core/responsibility/validate.ts';

const day = { amount: 1, unit: 'work_days' } as const;
let ids = 0;
function entry(
  category: string,
  lead: HandlerRef,
  overrides: Partial<ResponsibilityEntry> = {},
): ResponsibilityEntry {
  return {
    id: `e${++ids}`,
    category_code: category,
    scope_region_code: null,
    lead,
    co_handlers: [],
    legal_basis: { law: '《城市市容和环境卫生管理条例》', article: '第十条', text: '……' },
    limits: {
      registration: day,
      dispatch: day,
      handling: { amount: 3, unit: 'work_days' },
      verification: day,
    },
    escalation: 'parent_command_centre',
    ...overrides,
  };
}
function list(
  region_code: string,
  level: ResponsibilityList['region_level'],
  entries: ResponsibilityEntry[],
  extra: Partial<ResponsibilityList> = {},
): ResponsibilityList {
  return {
    id: `list-${region_code}`,
    region_code,
    region_level: level,
    version: 1,
    entries,
    township_duties: [],
    ...extra,
  };
}
const dept = (
  id: string,
  type: Department['type'],
  region_code: string,
  region_level: Department['region_level'],
): Department => ({ id, name: id, type, region_code, region_level });

const PROVINCE = '330000000000';
const XIHU = '330106000000';
const GONGSHU = '330105000000';
const chain = (county: string, township?: string): RegionStep[] => [
  { code: PROVINCE, level: 'province' },
  { code: '330100000000', level: 'city' },
  { code: county, level: 'county' },
  ...(township ? [{ code: township, level: 'township' as const }] : []),
];
const departments = [
  dept('xihu-urban', 'urban_management', XIHU, 'county'),
  dept('xihu-housing', 'housing_construction', XIHU, 'county'),
  dept('xihu-market', 'market_regulation', XIHU, 'county'),
  dept('gongshu-urban', 'urban_management', GONGSHU, 'county'),
  dept('beishan-office', 'township_office', '330106002000', 'township'),
];
const urban: HandlerRef = { type: 'urban_management', level: 'county' };
const housing: HandlerRef = { type: 'housing_construction', level: 'county' };

test('a county-level entry overrides the province entry for that county only', () => {
  const rules = compileRules(
    [
      list(PROVINCE, 'province', [entry('01', urban)]),
      list(XIHU, 'county', [entry('01', { department_id: 'xihu-market' })]),
    ],
    departments,
  );
  const inXihu = resolveOwner(rules, ['0101', '01'], chain(XIHU));
  assert.equal(inXihu?.lead.department?.id, 'xihu-market');
  assert.deepEqual(inXihu?.list, { id: `list-${XIHU}`, region_code: XIHU, version: 1 });
  const inGongshu = resolveOwner(rules, ['0101', '01'], chain(GONGSHU));
  assert.equal(inGongshu?.lead.department?.id, 'gongshu-urban');
  assert.equal(inGongshu?.list.region_code, PROVINCE);
});

test('at the same region scope the more specific category wins', () => {
  const rules = compileRules(
    [list(PROVINCE, 'province', [entry('01', urban), entry('0101', housing)])],
    departments,
  );
  assert.equal(resolveOwner(rules, ['0101', '01'], chain(XIHU))?.lead.department?.id, 'xihu-housing');
  assert.equal(resolveOwner(rules, ['0102', '01'], chain(XIHU))?.lead.department?.id, 'xihu-urban');
});

test('a more specific region scope wins over a more specific category', () => {
  const rules = compileRules(
    [list(PROVINCE, 'province', [entry('0101', housing), entry('01', urban, { scope_region_code: XIHU })])],
    departments,
  );
  assert.equal(resolveOwner(rules, ['0101', '01'], chain(XIHU))?.lead.type, 'urban_management');
  assert.equal(resolveOwner(rules, ['0101', '01'], chain(GONGSHU))?.lead.type, 'housing_construction');
});

test('a category nobody owns resolves to nothing (a gap)', () => {
  const rules = compileRules([list(PROVINCE, 'province', [entry('01', urban)])], departments);
  assert.equal(resolveOwner(rules, ['0201', '02'], chain(XIHU)), null);
});

test('two leads for the same category and scope are reported as an overlap', () => {
  const rules = compileRules(
    [
      list(PROVINCE, 'province', [entry('01', urban)]),
      list('330000000000', 'province', [entry('01', housing)], { id: 'other' }),
    ],
    departments,
  );
  const found = resolveOwner(rules, ['01'], chain(XIHU));
  assert.equal(found?.conflicts.length, 1);
});

test('a township duty decides the township part: basic leads, assisting assists, returned stays out', () => {
  const township = '330106002000';
  const duties = [
    { township_code: township, category_code: '0101', duty: 'basic' as const },
    { township_code: township, category_code: '0102', duty: 'assisting' as const },
    { township_code: township, category_code: '0103', duty: 'returned' as const },
  ];
  const rules = compileRules(
    [list(XIHU, 'county', [entry('01', urban)], { township_duties: duties })],
    departments,
  );
  const basic = resolveOwner(rules, ['0101', '01'], chain(XIHU, township))!;
  assert.equal(basic.lead.department?.id, 'beishan-office');
  assert.deepEqual(
    basic.co_handlers.map((h) => h.department?.id),
    ['xihu-urban'],
  );
  const assisting = resolveOwner(rules, ['0102', '01'], chain(XIHU, township))!;
  assert.equal(assisting.lead.department?.id, 'xihu-urban');
  assert.deepEqual(
    assisting.co_handlers.map((h) => h.department?.id),
    ['beishan-office'],
  );
  const returned = resolveOwner(rules, ['0103', '01'], chain(XIHU, township))!;
  assert.equal(returned.lead.department?.id, 'xihu-urban');
  assert.deepEqual(returned.co_handlers, []);
});

test('dispatching a returned or assisting item to a township as lead is refused unless a command centre overrides with a reason', () => {
  const township = '330106002000';
  const rules = compileRules(
    [
      list(XIHU, 'county', [], {
        township_duties: [
          { township_code: township, category_code: '0103', duty: 'returned' },
          { township_code: township, category_code: '0102', duty: 'assisting' },
          { township_code: township, category_code: '0101', duty: 'basic' },
        ],
      }),
    ],
    departments,
  );
  assert.throws(() => checkTownshipLead(rules, township, ['0103', '01']), {
    code: 'responsibility.township_not_lead',
    details: { township, category: '0103', rule: 'returned' },
  });
  assert.throws(() => checkTownshipLead(rules, township, ['0102', '01']), {
    details: { rule: 'assisting', township, category: '0102' },
  });
  assert.throws(() => checkTownshipLead(rules, township, ['0103'], { by_command_centre: true, reason: ' ' }));
  assert.doesNotThrow(() =>
    checkTownshipLead(rules, township, ['0103'], {
      by_command_centre: true,
      reason: '区指挥中心协调：汛期临时交由街道',
    }),
  );
  assert.doesNotThrow(() => checkTownshipLead(rules, township, ['0101', '01']));
});

test('validation names every problem of a list with where it is', () => {
  const problems = validateListContent(
    {
      entries: [
        entry('01', urban),
        entry('99', { type: 'nonsense' as never, level: 'county' }, { scope_region_code: GONGSHU }),
        entry('01', housing),
      ],
      township_duties: [{ township_code: '330105001000', category_code: '01', duty: 'basic' }],
    },
    {
      region_code: XIHU,
      region_level: 'county',
      categories: new Set(['01']),
      departments: new Set(),
      townships: new Set(['330106002000']),
    },
  );
  assert.deepEqual(
    problems.map((p) => p.at),
    [
      'entries[1].category_code',
      'entries[1].scope_region_code',
      'entries[1].lead',
      'entries[2]',
      'township_duties[0].township_code',
    ],
  );
});
