import type { Actor } from '../../src/core/access/roles.ts';
import type { Clock } from '../../src/core/clock.ts';
import { seedDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { seedDemoResponsibility } from '../../src/demo/demo-responsibility.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { loadCounty } from './regions.ts';
import type { TestStore } from './store.ts';

/** Actors of 西湖区 as the demo accounts are, built directly so tests need no log-in. */
const XIHU = { code: '330106000000', level: 'county' } as const;
const staff = (
  user_id: string,
  username: string,
  roles: Actor['roles'],
  department_id: string | null = null,
  scope: Actor['scope'] = XIHU,
): Actor => ({
  user_id,
  username,
  roles,
  scope,
  department_id,
});

export const ACTORS = {
  county: staff('u-c', 'county.center', ['county_centre']),
  urban: staff('u-u', 'dept.urban', ['department_handler'], 'dept-330106-urban'),
  market: staff('u-m', 'dept.market', ['department_handler'], 'dept-330106-market'),
  housing: staff('u-h', 'dept.housing', ['department_handler'], 'dept-330106-housing'),
  worker: staff('u-g', 'grid.worker', ['grid_worker'], null, { code: '330106002051', level: 'community' }),
  township: staff('u-t', 'township.handler', ['township_handler'], null, {
    code: '330106002000',
    level: 'township',
  }),
  resident: staff('u-r', 'resident', ['resident'], null, { code: '330000000000', level: 'province' }),
} satisfies Record<string, Actor>;

/** 西湖区 ready for cases: its regions, the base taxonomy, its departments and published lists. */
export async function seedXihu(store: TestStore, clock: Clock): Promise<void> {
  await loadCounty(store, '330106');
  await seedBaseTaxonomy({ store, clock }, '33');
  await seedDemoOrganisation({ db: store.db, clock });
  await seedDemoResponsibility({ store, clock, actor: { user_id: null, username: 'system' } });
}
