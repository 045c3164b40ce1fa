import { DomainError } from '../errors.ts';
import type { SegmentOwner } from './codes.ts';

/**
 * The inheritance rule (docs/taxonomy.md): a province publishes the base taxonomy; a city or county
 * may add subcategories under what it sees, never remove or rename what a higher region defined.
 * Only the region that defined a category changes it.
 */

/** Region levels (1 province, 2 city, 3 county) that define categories; townships and communities use them. */
export const DEFINING_LEVELS = [1, 2, 3] as const;

export interface DefiningRegion {
  code: string;
  /** 1 province, 2 city, 3 county, … (src/core/regions/codes.ts). */
  level: number;
}

/** Who defined a category: the region's code and level (a filled-in level shares its parent's code). */
export interface DefinedBy {
  code: string;
  region_code: string;
  region_level: number;
}

export interface ParentNode extends DefinedBy {
  /** A leaf in the adding region's view. */
  leaf: boolean;
}

export function assertCanDefine(region: DefiningRegion): void {
  if (!(DEFINING_LEVELS as readonly number[]).includes(region.level)) {
    throw new DomainError('category.add_refused', {
      region: region.code,
      rule: 'only provinces, cities and counties define categories',
    });
  }
}

/** The kind of code segment a region writes below the roots. */
export function segmentOwnerFor(region: DefiningRegion): SegmentOwner {
  return region.level === 1 ? 'base' : 'local';
}

/**
 * May `region` add a child under `parent` (null: a new root)? Cases already filed under a higher
 * region's leaf must stay filed under a leaf, so a lower region adds only under inner nodes it
 * inherits, or under its own categories.
 */
export function assertCanAdd(region: DefiningRegion, parent: ParentNode | null): void {
  assertCanDefine(region);
  if (parent === null) {
    if (region.level !== 1) {
      throw new DomainError('category.add_refused', {
        region: region.code,
        rule: 'only the province defines top-level categories',
      });
    }
    return;
  }
  if (!isDefinedBy(parent, region) && parent.leaf) {
    throw new DomainError('category.add_refused', {
      region: region.code,
      parent: parent.code,
      rule: 'a higher region’s leaf category cannot be subdivided by a lower region',
    });
  }
}

/** Renaming or removing: only the defining region may; a lower region meets the inheritance rule. */
export function assertCanEdit(region: DefiningRegion, node: DefinedBy): void {
  if (!isDefinedBy(node, region)) {
    throw new DomainError('category.inherited_readonly', {
      code: node.code,
      owner: node.region_code,
      region: region.code,
      rule: 'a lower region may add subcategories but not rename or remove a higher region’s',
    });
  }
}

export function isDefinedBy(node: DefinedBy, region: DefiningRegion): boolean {
  return node.region_code === region.code && node.region_level === region.level;
}
