import {
  DEPARTMENT_TYPE_LABELS,
  LIMIT_UNIT_LABELS,
  REGION_LEVEL_LABELS,
} from '../../../../../src/i18n/responsibility-labels.ts';
import type { Label } from '../../../http.ts';
import type { Handler } from './responsibility-model.ts';
import type { CategoryItem, Department, Entry } from './rules-api.ts';

/** Names the editors show for codes: categories and departments are data (translate="no"). */
export interface RuleNames {
  category(code: string): string;
  department(id: string): string;
}

export function makeNames(
  categories: readonly CategoryItem[],
  departments: readonly Department[],
): RuleNames {
  const byCode = new Map(categories.map((c) => [c.code, c.name]));
  const byId = new Map(departments.map((d) => [d.id, d.name]));
  return {
    category: (code) => byCode.get(code) ?? '',
    department: (id) => byId.get(id) ?? '',
  };
}

/** A handler as people read it: the unit's name, or the kind of department and the level. */
export function handlerLabel(h: Handler, names: RuleNames, pick: (l: Label) => string): string {
  if ('department_id' in h) return names.department(h.department_id) || h.department_id;
  const type = DEPARTMENT_TYPE_LABELS[h.type];
  const level = REGION_LEVEL_LABELS[h.level];
  return type && level ? `${pick(type)} · ${pick(level)}` : `${String(h.type)}@${String(h.level)}`;
}

export function limitLabel(limit: Entry['limits']['handling'], pick: (l: Label) => string): string {
  const unit = LIMIT_UNIT_LABELS[limit.unit];
  return `${limit.amount} ${unit ? pick(unit) : limit.unit}`;
}
