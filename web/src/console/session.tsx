import { createContext, useContext } from 'react';
import type { Me } from './api.ts';

/** The signed-in user as /me answered, and a way to sign out; the console shows what it allows. */
export interface Session {
  me: Me;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

type Role = Me['user']['roles'][number];
const CENTRES: readonly Role[] = ['county_centre', 'city_centre', 'province_centre', 'analyst'];

/**
 * Where each role starts its day: handlers and grid workers at their queue, command centres at
 * what is overdue in their region (until the overview exists), administrators at every case.
 */
export function homeOf(me: Me): string {
  const roles = me.user.roles;
  if (roles.some((r) => CENTRES.includes(r))) return '/console/work/overdue';
  if (roles.includes('admin')) return '/console/work/all';
  return '/console/work/mine';
}
