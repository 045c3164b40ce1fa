import { isDepartmentType } from '../organisation/department-types.ts';
import { LEVEL_DIGITS, REGION_LEVELS, type RegionLevel } from '../regions/codes.ts';
import {
  ESCALATION_TARGETS,
  LIMIT_UNITS,
  LIMITED_STAGES,
  TOWNSHIP_DUTIES,
  type HandlerRef,
  type ResponsibilityEntry,
  type TownshipDuty,
} from './entries.ts';

export interface ListProblem {
  /** `entries[3].lead` or `township_duties[0].duty`: where in the list. */
  at: string;
  reason: string;
}

export interface ListContext {
  region_code: string;
  region_level: RegionLevel;
  categories: ReadonlySet<string>;
  departments: ReadonlySet<string>;
  townships: ReadonlySet<string>;
}

/**
 * Everything a list must satisfy before it can be published. Pure: the caller supplies what exists
 * (categories, departments, the townships of the list's region).
 */
export function validateListContent(
  content: { entries: readonly ResponsibilityEntry[]; township_duties: readonly TownshipDuty[] },
  context: ListContext,
): ListProblem[] {
  const problems: ListProblem[] = [];
  const prefix = context.region_code.slice(0, LEVEL_DIGITS[context.region_level]);
  const seen = new Map<string, number>();
  const checkHandler = (ref: HandlerRef, at: string) => {
    if (ref.department_id !== undefined) {
      if (!context.departments.has(ref.department_id))
        problems.push({ at, reason: `unknown department ${ref.department_id}` });
    } else if (!isDepartmentType(ref.type)) {
      problems.push({ at, reason: `unknown department type ${String(ref.type)}` });
    } else if (!REGION_LEVELS.includes(ref.level)) {
      problems.push({ at, reason: `unknown level ${String(ref.level)}` });
    }
  };
  content.entries.forEach((e, i) => {
    const at = `entries[${i}]`;
    if (!context.categories.has(e.category_code))
      problems.push({ at: `${at}.category_code`, reason: `unknown category ${e.category_code}` });
    if (e.scope_region_code !== null && !e.scope_region_code.startsWith(prefix)) {
      problems.push({
        at: `${at}.scope_region_code`,
        reason: `${e.scope_region_code} lies outside the list's region ${context.region_code}`,
      });
    }
    checkHandler(e.lead, `${at}.lead`);
    e.co_handlers.forEach((h, j) => checkHandler(h, `${at}.co_handlers[${j}]`));
    if (!e.legal_basis.law.trim())
      problems.push({ at: `${at}.legal_basis.law`, reason: 'the legal basis names no law' });
    for (const stage of LIMITED_STAGES) {
      const limit = e.limits[stage];
      if (!limit || !(limit.amount > 0) || !LIMIT_UNITS.includes(limit.unit)) {
        problems.push({ at: `${at}.limits.${stage}`, reason: 'a positive amount and a unit are required' });
      }
    }
    if (!ESCALATION_TARGETS.includes(e.escalation))
      problems.push({ at: `${at}.escalation`, reason: `unknown escalation ${e.escalation}` });
    const key = `${e.category_code}@${e.scope_region_code ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ at, reason: `same category and scope as entries[${first}]: two leads for one item` });
    } else seen.set(key, i);
  });
  const duties = new Set<string>();
  content.township_duties.forEach((d, i) => {
    const at = `township_duties[${i}]`;
    if (!context.townships.has(d.township_code))
      problems.push({
        at: `${at}.township_code`,
        reason: `${d.township_code} is not a township of ${context.region_code}`,
      });
    if (!context.categories.has(d.category_code))
      problems.push({ at: `${at}.category_code`, reason: `unknown category ${d.category_code}` });
    if (!TOWNSHIP_DUTIES.includes(d.duty))
      problems.push({ at: `${at}.duty`, reason: `duty must be one of ${TOWNSHIP_DUTIES.join(', ')}` });
    const key = `${d.township_code}:${d.category_code}`;
    if (duties.has(key)) problems.push({ at, reason: 'the same township and category twice' });
    duties.add(key);
  });
  return problems;
}
