import { DomainError } from '../errors.ts';

/**
 * Region levels of the statistical division code (统计用区划代码), GB/T 2260 for the first six digits:
 * 2 province + 2 city + 2 county + 3 township + 3 village/community = 12 digits.
 */
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'community'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Significant digits of a code at each level, in REGION_LEVELS order. */
export const LEVEL_DIGITS: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  community: 12,
};

export function levelNumber(level: RegionLevel): number {
  return REGION_LEVELS.indexOf(level) + 1;
}

export function levelFromNumber(n: number): RegionLevel {
  const level = REGION_LEVELS[n - 1];
  if (!level) throw new RangeError(`no region level ${n}`);
  return level;
}

export interface NormalizedCode {
  /** The 12-digit form used everywhere inside the system. */
  code: string;
  /** The level a short form names (its length says it); undefined for a 12-digit input. */
  level: RegionLevel | undefined;
}

/** Accepts the 2, 4, 6, 9 and 12 digit forms at the edge and returns the 12-digit form. */
export function normalizeRegionCode(input: string): NormalizedCode {
  const trimmed = input.trim();
  const level = REGION_LEVELS.find((l) => LEVEL_DIGITS[l] === trimmed.length);
  if (!/^\d+$/.test(trimmed) || !level) throw new DomainError('region.invalid_code', { code: input });
  return { code: trimmed.padEnd(12, '0'), level: trimmed.length === 12 ? undefined : level };
}

/** The digits that every descendant of a region at this level shares. */
export function codePrefix(code: string, level: RegionLevel): string {
  return code.slice(0, LEVEL_DIGITS[level]);
}

/**
 * The inclusive code range holding a region and all its descendants. Statistical codes nest
 * (a child's code starts with its parent's significant digits; the importer checks it), so
 * "everything under this county" is one range scan on the code index.
 */
export function subtreeRange(code: string, level: RegionLevel): { low: string; high: string } {
  const prefix = codePrefix(code, level);
  return { low: prefix.padEnd(12, '0'), high: prefix.padEnd(12, '9') };
}

/** True when `code` lies in the subtree of the region (`ancestor`, `level`). */
export function isWithin(code: string, ancestor: string, level: RegionLevel): boolean {
  return code.startsWith(codePrefix(ancestor, level));
}
