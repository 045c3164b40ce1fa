import { pathToFileURL } from 'node:url';
import type { DepartmentType } from '../src/core/organisation/department-types.ts';
import type {
  Department,
  ResponsibilityEntry,
  ResponsibilityList,
} from '../src/core/responsibility/entries.ts';
import { compileRules, resolveOwner, type RegionStep } from '../src/core/responsibility/resolve.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

const TYPES: DepartmentType[] = [
  'urban_management',
  'market_regulation',
  'housing_construction',
  'ecology_environment',
  'transport',
];
const limit = { amount: 1, unit: 'work_days' } as const;

function entry(
  id: string,
  category: string,
  type: DepartmentType,
  scope: string | null = null,
): ResponsibilityEntry {
  return {
    id,
    category_code: category,
    scope_region_code: scope,
    lead: { type, level: 'county' },
    co_handlers: [],
    legal_basis: { law: 'law', article: '1', text: '' },
    limits: { registration: limit, dispatch: limit, handling: limit, verification: limit },
    escalation: 'parent_command_centre',
  };
}

/**
 * A province list over a 3-level taxonomy (15 × 8 × 4 = 480 leaves), county overrides for 90
 * counties and township duty lists: about the size of a real province's lists.
 */
function makeRules() {
  const leaves: string[][] = [];
  const province: ResponsibilityEntry[] = [];
  for (let a = 1; a <= 15; a++) {
    const top = String(a).padStart(2, '0');
    province.push(entry(`p${top}`, top, TYPES[a % TYPES.length]!));
    for (let b = 1; b <= 8; b++) {
      const mid = top + String(b).padStart(2, '0');
      if (b % 3 === 0) province.push(entry(`p${mid}`, mid, TYPES[b % TYPES.length]!));
      for (let c = 1; c <= 4; c++) leaves.push([mid + String(c).padStart(2, '0'), mid, top]);
    }
  }
  const lists: ResponsibilityList[] = [
    {
      id: 'province',
      region_code: '330000000000',
      region_level: 'province',
      version: 1,
      entries: province,
      township_duties: [],
    },
  ];
  const departments: Department[] = [];
  const chains: RegionStep[][] = [];
  for (let k = 1; k <= 90; k++) {
    const county = `33${String(1 + (k % 11)).padStart(2, '0')}${String(k).padStart(2, '0')}000000`;
    for (const type of TYPES)
      departments.push({
        id: `${county}-${type}`,
        name: type,
        type,
        region_code: county,
        region_level: 'county',
      });
    const township = `${county.slice(0, 6)}001000`;
    departments.push({
      id: `${township}-office`,
      name: 'office',
      type: 'township_office',
      region_code: township,
      region_level: 'township',
    });
    lists.push({
      id: `county-${county}`,
      region_code: county,
      region_level: 'county',
      version: 1,
      entries: leaves
        .filter((_, i) => i % 17 === k % 17)
        .map((l, i) => entry(`c${k}-${i}`, l[0]!, 'transport')),
      township_duties: leaves
        .filter((_, i) => i % 5 === 0)
        .map((l) => ({ township_code: township, category_code: l[1]!, duty: 'basic' as const })),
    });
    chains.push([
      { code: '330000000000', level: 'province' },
      { code: `${county.slice(0, 4)}00000000`, level: 'city' },
      { code: county, level: 'county' },
      { code: township, level: 'township' },
      { code: `${township.slice(0, 9)}001`, level: 'community' },
    ]);
  }
  return { lists, departments, leaves, chains };
}

/** The baseline: the same decision by scanning every entry of every list, as a naive SQL query would. */
function resolveByScan(
  lists: ResponsibilityList[],
  categoryChain: string[],
  chain: RegionStep[],
): string | null {
  const here = chain[chain.length - 1]!;
  let best: string | null = null;
  let bestRank = -1;
  for (const list of lists) {
    const level = ['province', 'city', 'county', 'township', 'community'].indexOf(list.region_level) + 1;
    const prefix = list.region_code.slice(0, [2, 4, 6, 9, 12][level - 1]);
    if (!here.code.startsWith(prefix)) continue;
    for (const e of list.entries) {
      const depth = categoryChain.indexOf(e.category_code);
      if (depth < 0) continue;
      const rank = level * 1000 - depth;
      if (rank > bestRank) [best, bestRank] = [e.id, rank];
    }
  }
  return best;
}

export async function benchResponsibility(options: BenchOptions): Promise<BenchRow[]> {
  const { lists, departments, leaves, chains } = makeRules();
  const rules = compileRules(lists, departments);
  const n = options.quick ? 200_000 : 1_000_000;
  const work = Array.from(
    { length: 4096 },
    (_, i) => [leaves[(i * 7919) % leaves.length]!, chains[(i * 31) % chains.length]!] as const,
  );
  let owned = 0;
  let start = performance.now();
  for (let i = 0; i < n; i++) {
    const [categoryChain, chain] = work[i & 4095]!;
    if (resolveOwner(rules, categoryChain, chain)?.lead.department) owned++;
  }
  const indexed = n / ((performance.now() - start) / 1000);
  const m = Math.max(1, Math.floor(n / 50));
  start = performance.now();
  for (let i = 0; i < m; i++) {
    const [categoryChain, chain] = work[i & 4095]!;
    resolveByScan(lists, categoryChain, chain);
  }
  const scan = m / ((performance.now() - start) / 1000);
  const entries = lists.reduce((s, l) => s + l.entries.length, 0);
  return [
    row(
      'responsibility.resolutions_per_second',
      indexed,
      'resolutions/s',
      'higher',
      { name: 'linear scan of all entries', value: scan },
      `${lists.length} published lists, ${entries} entries, ${leaves.length} leaf categories, ${n} resolutions (${owned} to a unit); target > 100,000/s`,
    ),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(
    await benchResponsibility({ quick: process.argv.includes('--quick'), databaseUrl: undefined }),
  );
}
