import type { Actor } from '../core/access/roles.ts';
import type { Channel } from '../core/workflow/stages.ts';
import type { DbOrTx } from '../db/schema.ts';
import { SYNTHETIC_USER } from './demo-case-run.ts';
import { unitActor, type LifeContext } from './demo-case-life.ts';

/** The people of the demo history: the demo accounts where they exist, synthetic handlers elsewhere. */
/** Who the report event names, as intake would (src/core/workflow/intake.ts). */
export function intakeWho(channel: Channel, signedIn: boolean, ctx: LifeContext) {
  const real = (a: Actor) => (a.user_id.startsWith(SYNTHETIC_USER) ? null : a.user_id);
  if (channel === 'web' || channel === 'open311') {
    return signedIn
      ? { user_id: real(ctx.reporter.actor), username: ctx.reporter.actor.username, role: 'resident' }
      : { user_id: null, username: 'anonymous', role: 'resident' };
  }
  const { actor } = ctx.centre;
  const role =
    channel === 'hotline' ? 'hotline_operator' : channel === 'patrol' ? 'grid_worker' : 'county_centre';
  if (channel === 'patrol') return { user_id: null, username: 'grid.patrol', role };
  return { user_id: real(actor), username: actor.username, role };
}

export async function lifeContext(
  db: DbOrTx,
  county: string,
  departments: ReadonlyMap<string, { region_code: string }>,
): Promise<LifeContext> {
  const users = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', 'in', ['county.center', 'resident', 'grid.worker'])
    .execute();
  const idOf = (username: string) =>
    users.find((u) => u.username === username)?.id ?? `${SYNTHETIC_USER}${username}`;
  const scope = { code: county, level: 'county' as const };
  const person = (username: string, role: Actor['roles'][number]): Actor => ({
    user_id: idOf(username),
    username,
    roles: [role],
    scope,
    department_id: null,
  });
  const handlers = new Map<string, ReturnType<typeof unitActor>>();
  const units = [...departments.entries()]
    .filter(([id, d]) => d.region_code === county && id.startsWith('dept-') && !id.endsWith('-centre'))
    .map(([id]) => id)
    .sort();
  return {
    centre: { actor: person('county.center', 'county_centre'), unit: null },
    reporter: { actor: person('resident', 'resident'), unit: null },
    handler(unit) {
      let who = handlers.get(unit);
      if (!who) handlers.set(unit, (who = unitActor(unit, county)));
      return who;
    },
    gridWorker: (grid) => ({
      actor: { ...person(`grid.${grid ?? 'worker'}`, 'grid_worker'), user_id: `${SYNTHETIC_USER}grid` },
      unit: null,
    }),
    departments: units,
  };
}
