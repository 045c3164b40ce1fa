import { resolveOwner } from '../core/responsibility/resolve.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion, listChildren } from '../regions/find-regions.ts';
import type { RulesCache } from './rules-cache.ts';

export interface CoverageGap {
  category: string;
  region: string;
  /** no_entry: no list names an owner; no_unit: the named kind of department does not exist there. */
  reason: 'no_entry' | 'no_unit';
  lead_type?: string | null;
}

export interface CoverageOverlap {
  category: string;
  region: string;
  entries: string[];
}

/**
 * The gap and overlap report (空白与交叉) of a region: every leaf category, resolved for the region
 * and for each of its children, so that a level without an owner shows up.
 */
export async function coverageReport(deps: { db: DbOrTx; rules: RulesCache }, input: { region: string }) {
  const loaded = await deps.rules.current();
  const region = await getRegion(deps.db, input.region);
  const base = [...region.path, region].map((r) => ({ code: r.code, level: r.level }));
  const chains = [
    base,
    ...(await listChildren(deps.db, region.code)).map((c) => [...base, { code: c.code, level: c.level }]),
  ];
  const leaves = [...loaded.categories.values()]
    .filter((c) => c.leaf)
    .map((c) => c.code)
    .sort();
  const gaps: CoverageGap[] = [];
  const overlaps: CoverageOverlap[] = [];
  for (const category of leaves) {
    const categoryChain = loaded.chainOf(category);
    for (const chain of chains) {
      const at = chain[chain.length - 1]!.code;
      const found = resolveOwner(loaded.rules, categoryChain, chain);
      if (!found) gaps.push({ category, region: at, reason: 'no_entry' });
      else if (!found.lead.department)
        gaps.push({ category, region: at, reason: 'no_unit', lead_type: found.lead.type });
      if (found && found.conflicts.length > 0)
        overlaps.push({ category, region: at, entries: [found.entry.id, ...found.conflicts] });
    }
  }
  return {
    region: { code: region.code, name: region.name },
    checked: leaves.length * chains.length,
    gaps,
    overlaps,
  };
}
