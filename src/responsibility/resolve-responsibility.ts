import { DomainError } from '../core/errors.ts';
import { resolveOwner, type ResolvedHandler } from '../core/responsibility/resolve.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';
import type { RulesCache } from './rules-cache.ts';

const presentHandler = (h: ResolvedHandler) => ({
  type: h.type,
  level: h.level,
  department: h.department
    ? { id: h.department.id, name: h.department.name, region_code: h.department.region_code }
    : null,
});

/** Who owns this category in this region, by which list version, on what legal basis, how fast. */
export async function resolveResponsibility(
  deps: { db: DbOrTx; rules: RulesCache },
  input: { category: string; region: string },
) {
  const loaded = await deps.rules.current();
  const category = loaded.categories.get(input.category);
  if (!category) throw new DomainError('category.not_found', { code: input.category });
  const region = await getRegion(deps.db, input.region);
  const chain = [...region.path, region].map((r) => ({ code: r.code, level: r.level }));
  const found = resolveOwner(loaded.rules, loaded.chainOf(category.code), chain);
  if (!found)
    throw new DomainError('responsibility.unowned', { category: category.code, region: region.code });
  return {
    category: { code: category.code, name: category.name },
    region: { code: region.code, name: region.name, level: region.level },
    lead: presentHandler(found.lead),
    co_handlers: found.co_handlers.map(presentHandler),
    legal_basis: found.entry.legal_basis,
    limits: found.entry.limits,
    escalation: found.entry.escalation,
    township_duty: found.township_duty,
    list: found.list,
    entry: {
      id: found.entry.id,
      category_code: found.entry.category_code,
      scope_region_code: found.entry.scope_region_code,
    },
    conflicts: found.conflicts,
  };
}
