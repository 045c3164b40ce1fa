import { DomainError } from '../errors.ts';

/**
 * What a category is about. `component` and `event` are the two catalogues of GB/T 30428
 * (部件 / 事件); the rest are social-governance matters (docs/taxonomy.md).
 */
export const CATEGORY_KINDS = [
  'component',
  'event',
  'dispute',
  'hazard',
  'public_order',
  'service',
  'consultation',
  'request',
] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

/** Every code is a chain of 2-character segments; depth = number of segments. */
export const SEGMENT_LENGTH = 2;
export const MAX_DEPTH = 5;

const CODE = /^(?:[0-9A-Z]{2}){1,5}$/;
/** Below the roots, a province's segments are digits 01–99 … */
const BASE_SEGMENT = /^(?:0[1-9]|[1-9][0-9])$/;
/** … and a city's or county's start with a letter (A0–ZZ), so a local code never collides with a later base code. */
const LOCAL_SEGMENT = /^[A-Z][0-9A-Z]$/;
const ROOT_SEGMENT = /^[0-9A-Z]{2}$/;

export function isCategoryCode(code: string): boolean {
  return CODE.test(code);
}

/** Throws category.invalid_code unless the code has the shape of a category code. */
export function assertCategoryCode(code: string): void {
  if (!isCategoryCode(code)) throw new DomainError('category.invalid_code', { code });
}

export function depthOf(code: string): number {
  return code.length / SEGMENT_LENGTH;
}

/** The parent's code is the code less its last segment; a root has none. */
export function parentCodeOf(code: string): string | null {
  return code.length > SEGMENT_LENGTH ? code.slice(0, -SEGMENT_LENGTH) : null;
}

export function lastSegment(code: string): string {
  return code.slice(-SEGMENT_LENGTH);
}

/** True when `code` is `ancestor` or lies under it. */
export function isUnder(code: string, ancestor: string): boolean {
  return code.startsWith(ancestor);
}

export type SegmentOwner = 'base' | 'local';

/** Which kind of region may define a segment at this depth; undefined when the segment is malformed. */
export function segmentOwner(code: string): SegmentOwner | undefined {
  const segment = lastSegment(code);
  if (depthOf(code) === 1) return ROOT_SEGMENT.test(segment) ? 'base' : undefined;
  if (BASE_SEGMENT.test(segment)) return 'base';
  if (LOCAL_SEGMENT.test(segment)) return 'local';
  return undefined;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The next free segment under a parent, after every segment already taken there: numeric for the
 * base taxonomy (roots too), letter-led for local additions. Undefined when the range is full.
 */
export function nextSegment(taken: Iterable<string>, owner: SegmentOwner): string | undefined {
  const used = new Set(taken);
  if (owner === 'base') {
    for (let n = 1; n <= 99; n++) {
      const s = String(n).padStart(2, '0');
      if (!used.has(s)) return s;
    }
    return undefined;
  }
  for (const a of ALPHABET.slice(10)) {
    for (const b of ALPHABET) if (!used.has(a + b)) return a + b;
  }
  return undefined;
}
