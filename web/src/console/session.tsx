import { createContext, useContext } from 'react';
import type { Me } from './api.ts';
import { gridPath, overviewPath, rulesPath, workPath } from './routes.ts';

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
 * Where each role starts its day: command centres at the overview of their region, administrators
 * at the rule editors, grid workers at their grid's tasks and "report on the spot", handlers at
 * their queue.
 */
export function homeOf(me: Me): string {
  const roles = me.user.roles;
  if (roles.some((r) => CENTRES.includes(r))) return overviewPath();
  if (roles.includes('admin')) return rulesPath();
  if (roles.includes('grid_worker')) return gridPath();
  return workPath('mine');
}
