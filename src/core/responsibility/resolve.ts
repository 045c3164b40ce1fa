import { DomainError } from '../errors.ts';
import type { DepartmentType } from '../organisation/department-types.ts';
import { LEVEL_DIGITS, levelNumber, REGION_LEVELS, type RegionLevel } from '../regions/codes.ts';
import type {
  Department,
  HandlerRef,
  ResponsibilityEntry,
  ResponsibilityList,
  TownshipDutyKind,
} from './entries.ts';

export interface RegionStep {
  code: string;
  level: RegionLevel;
}

export interface ResolvedHandler {
  type: DepartmentType | null;
  level: RegionLevel | null;
  /** The unit that acts; null when the list names a kind of department the region lacks. */
  department: Department | null;
}

export interface Resolution {
  entry: ResponsibilityEntry;
  list: { id: string; region_code: string; version: number };
  lead: ResolvedHandler;
  co_handlers: ResolvedHandler[];
  township_duty: TownshipDutyKind | null;
  /** Entries that tie with the winner on both specificities but name another lead (an overlap). */
  conflicts: string[];
}

interface Candidate {
  entry: ResponsibilityEntry;
  list: ResponsibilityList;
  prefix: string;
  scopeLevel: number;
}

/** Published lists and departments, indexed once for many resolutions. */
export interface RuleSet {
  entries: Map<string, Candidate[]>;
  duties: Map<string, TownshipDutyKind>;
  departmentsByPlace: Map<string, Department>;
  departmentsById: Map<string, Department>;
}

export function compileRules(
  lists: readonly ResponsibilityList[],
  departments: readonly Department[],
): RuleSet {
  const entries = new Map<string, Candidate[]>();
  const duties = new Map<string, TownshipDutyKind>();
  for (const list of lists) {
    for (const entry of list.entries) {
      const scope = entry.scope_region_code ?? list.region_code;
      const scopeLevel = entry.scope_region_code ? levelOfCode(scope, list.region_level) : list.region_level;
      const candidate = {
        entry,
        list,
        prefix: scope.slice(0, LEVEL_DIGITS[scopeLevel]),
        scopeLevel: levelNumber(scopeLevel),
      };
      const bucket = entries.get(entry.category_code) ?? [];
      bucket.push(candidate);
      entries.set(entry.category_code, bucket);
    }
    for (const d of list.township_duties) duties.set(`${d.township_code}:${d.category_code}`, d.duty);
  }
  return {
    entries,
    duties,
    departmentsByPlace: new Map(departments.map((d) => [`${d.region_code}:${d.type}`, d])),
    departmentsById: new Map(departments.map((d) => [d.id, d])),
  };
}

/** The level a scope code names: its significant digits, never above the list's own level. */
function levelOfCode(code: string, atLeast: RegionLevel): RegionLevel {
  let level: RegionLevel = 'community';
  for (const l of [...REGION_LEVELS].reverse()) {
    if (/^0*$/.test(code.slice(LEVEL_DIGITS[l]))) level = l;
  }
  return levelNumber(level) < levelNumber(atLeast) ? atLeast : level;
}

function handler(rules: RuleSet, ref: HandlerRef, chain: readonly RegionStep[]): ResolvedHandler {
  if (ref.department_id !== undefined) {
    const department = rules.departmentsById.get(ref.department_id) ?? null;
    return { type: department?.type ?? null, level: department?.region_level ?? null, department };
  }
  const place = chain.find((step) => step.level === ref.level);
  const department = place ? (rules.departmentsByPlace.get(`${place.code}:${ref.type}`) ?? null) : null;
  return { type: ref.type, level: ref.level, department };
}

const sameLead = (a: HandlerRef, b: HandlerRef) =>
  a.department_id === b.department_id && a.type === b.type && a.level === b.level;

/**
 * Who owns a case of this category here. Deterministic: the most specific region scope wins, then
 * the more specific category; lists of higher regions are inherited. A township's duty list then
 * decides the township's part: basic → the township office leads; assisting → it assists;
 * returned → it has no part. `categoryChain` runs from the category up to its 大类; `regionChain`
 * from the province down to the case's region. Null when nothing owns it (a gap).
 */
export function resolveOwner(
  rules: RuleSet,
  categoryChain: readonly string[],
  regionChain: readonly RegionStep[],
): Resolution | null {
  const here = regionChain[regionChain.length - 1];
  if (!here) return null;
  let best: Candidate | undefined;
  let bestRank = -1;
  const ties: Candidate[] = [];
  categoryChain.forEach((category, depthFromLeaf) => {
    for (const c of rules.entries.get(category) ?? []) {
      if (levelNumber(here.level) < c.scopeLevel || !here.code.startsWith(c.prefix)) continue;
      const rank = c.scopeLevel * 1000 - depthFromLeaf;
      if (rank > bestRank) {
        best = c;
        bestRank = rank;
        ties.length = 0;
      } else if (rank === bestRank) {
        ties.push(c);
      }
    }
  });
  if (!best) return null;
  const winner = best;
  let lead = handler(rules, winner.entry.lead, regionChain);
  const coHandlers = winner.entry.co_handlers.map((ref) => handler(rules, ref, regionChain));

  const township = regionChain.find((step) => step.level === 'township');
  const duty = township ? townshipDuty(rules, township.code, categoryChain) : null;
  if (township && duty && duty !== 'returned') {
    const office = handler(rules, { type: 'township_office', level: 'township' }, regionChain);
    // A township's basic duty outranks lists of wider scope, never an entry scoped inside it.
    if (duty === 'basic' && winner.scopeLevel <= levelNumber('township')) {
      if (lead.type !== 'township_office') coHandlers.unshift(lead);
      lead = office;
    } else if (duty === 'assisting' && lead.type !== 'township_office') {
      coHandlers.push(office);
    }
  }
  return {
    entry: winner.entry,
    list: { id: winner.list.id, region_code: winner.list.region_code, version: winner.list.version },
    lead,
    co_handlers: coHandlers,
    township_duty: duty,
    conflicts: ties.filter((t) => !sameLead(t.entry.lead, winner.entry.lead)).map((t) => t.entry.id),
  };
}

/** The township's duty for the most specific category of the chain that its list names. */
export function townshipDuty(
  rules: RuleSet,
  townshipCode: string,
  categoryChain: readonly string[],
): TownshipDutyKind | null {
  for (const category of categoryChain) {
    const duty = rules.duties.get(`${townshipCode}:${category}`);
    if (duty) return duty;
  }
  return null;
}

/**
 * A township may be made lead only for its basic duties. Dispatching a returned or assisting item
 * to it as lead is refused with the rule named, unless a command centre overrides with a reason.
 */
export function checkTownshipLead(
  rules: RuleSet,
  townshipCode: string,
  categoryChain: readonly string[],
  override?: { by_command_centre: boolean; reason: string },
): void {
  const duty = townshipDuty(rules, townshipCode, categoryChain);
  if (duty !== 'returned' && duty !== 'assisting') return;
  if (override?.by_command_centre && override.reason.trim().length > 0) return;
  throw new DomainError('responsibility.township_not_lead', {
    township: townshipCode,
    category: categoryChain[0],
    rule: duty,
  });
}
