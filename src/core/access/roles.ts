import type { RegionLevel } from '../regions/codes.ts';

/**
 * Every role the platform knows, the single source of truth: the Zod enum, the console's labels
 * and the permission table (permissions.ts) derive from it.
 */
export const ROLES = [
  'resident',
  'grid_worker',
  'community_handler',
  'township_handler',
  'department_handler',
  'county_centre',
  'city_centre',
  'province_centre',
  'analyst',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is acting: an authenticated user reduced to what the permission rules need. */
export interface Actor {
  user_id: string;
  username: string;
  roles: readonly Role[];
  /** The region subtree the actor works in (a county centre: its county and everything below). */
  scope: { code: string; level: RegionLevel };
  /** The department a department handler belongs to; null for everyone else. */
  department_id: string | null;
  /**
   * A reporter with no account who proved, with the key intake gave them, that they filed this
   * case (id): they play the reporter's part on it and nowhere else (src/cases/reporter-verdict.ts).
   */
  reporter_of?: string;
}
