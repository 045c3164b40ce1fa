/**
 * Unit-grid codes (单元网格编码) after CJ/T 213: the 12-digit code of the community the grid
 * belongs to (6 county + 3 township + 3 community) followed by a sequence number within the
 * community, 2 digits (01–99, 14 digits in all). A community with more than 99 grids uses a
 * 3-digit sequence (001–999, 15 digits), as Beijing's DB11 rule does. All grids of one community
 * use the same width.
 */
export const GRID_SEQUENCE_WIDTHS = [2, 3] as const;

export type GridCodeProblem = 'not_digits' | 'wrong_length' | 'not_in_community' | 'zero_sequence';

export function checkGridCode(code: string, communityCode: string): GridCodeProblem | null {
  if (!/^\d+$/.test(code)) return 'not_digits';
  if (code.length !== 14 && code.length !== 15) return 'wrong_length';
  if (!code.startsWith(communityCode)) return 'not_in_community';
  if (/^0+$/.test(code.slice(12))) return 'zero_sequence';
  return null;
}

/** The community a grid code belongs to. */
export function communityOfGrid(code: string): string {
  return code.slice(0, 12);
}

/** The code of the n-th grid (1-based) of a community, 2 digits while n ≤ 99 and width allows. */
export function gridCode(communityCode: string, n: number, width: 2 | 3 = n > 99 ? 3 : 2): string {
  if (!Number.isInteger(n) || n < 1 || n >= 10 ** width)
    throw new RangeError(`grid sequence ${n} out of range`);
  return communityCode + String(n).padStart(width, '0');
}
