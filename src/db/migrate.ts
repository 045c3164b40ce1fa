import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DialectTraits } from './dialect.ts';
import type { Store } from './database.ts';
import * as m0001 from './migrations/0001-regions.ts';
import * as m0002 from './migrations/0002-grids.ts';
import * as m0003 from './migrations/0003-taxonomy.ts';
import * as m0004 from './migrations/0004-organisation.ts';
import * as m0005 from './migrations/0005-responsibility.ts';
import * as m0006 from './migrations/0006-calendar.ts';
import * as m0007 from './migrations/0007-accounts.ts';
import * as m0008 from './migrations/0008-cases.ts';
import * as m0009 from './migrations/0009-case-workflow.ts';
import * as m0010 from './migrations/0010-indicators.ts';
import * as m0011 from './migrations/0011-sweeper.ts';
import * as m0012 from './migrations/0012-followers-mail.ts';
import * as m0013 from './migrations/0013-open311.ts';
import * as m0014 from './migrations/0014-attachments.ts';
import * as m0015 from './migrations/0015-reporter-keys.ts';
import * as m0016 from './migrations/0016-counts-without-rowid.ts';
import * as m0017 from './migrations/0017-clock-pauses.ts';
import * as m0018 from './migrations/0018-count-deltas.ts';
import * as m0019 from './migrations/0019-outbox-sent-idx.ts';
import * as m0020 from './migrations/0020-open311-sandbox.ts';
import * as m0021 from './migrations/0021-case-text-search.ts';
import * as m0022 from './migrations/0022-worklist-indexes.ts';
import * as m0023 from './migrations/0023-cases-merged-idx.ts';
import * as m0024 from './migrations/0024-case-tasks-covering.ts';
import * as m0025 from './migrations/0025-case-search-time-keys.ts';
import * as m0026 from './migrations/0026-cases-owner-covering.ts';
import * as m0027 from './migrations/0027-audit-chains.ts';
import * as m0028 from './migrations/0028-personal-data.ts';
import type { MigrationContext } from './migration-context.ts';

type Step = { up(db: Kysely<unknown>, traits: DialectTraits, ctx: MigrationContext): Promise<void> };

/** Ordered: a migration, once released, is never edited; a change is a new step. */
const STEPS: Array<[string, Step]> = [
  ['0001-regions', m0001],
  ['0002-grids', m0002],
  ['0003-taxonomy', m0003],
  ['0004-organisation', m0004],
  ['0005-responsibility', m0005],
  ['0006-calendar', m0006],
  ['0007-accounts', m0007],
  ['0008-cases', m0008],
  ['0009-case-workflow', m0009],
  ['0010-indicators', m0010],
  ['0011-sweeper', m0011],
  ['0012-followers-mail', m0012],
  ['0013-open311', m0013],
  ['0014-attachments', m0014],
  ['0015-reporter-keys', m0015],
  ['0016-counts-without-rowid', m0016],
  ['0017-clock-pauses', m0017],
  ['0018-count-deltas', m0018],
  ['0019-outbox-sent-idx', m0019],
  ['0020-open311-sandbox', m0020],
  ['0021-case-text-search', m0021],
  ['0022-worklist-indexes', m0022],
  ['0023-cases-merged-idx', m0023],
  ['0024-case-tasks-covering', m0024],
  ['0025-case-search-time-keys', m0025],
  ['0026-cases-owner-covering', m0026],
  ['0027-audit-chains', m0027],
  ['0028-personal-data', m0028],
];

class OrderedProvider implements MigrationProvider {
  constructor(
    private readonly traits: DialectTraits,
    private readonly ctx: MigrationContext,
  ) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      STEPS.map(([name, step]) => [
        name,
        { up: (db: Kysely<unknown>) => step.up(db, this.traits, this.ctx) },
      ]),
    );
  }
}

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema up to date; safe to call from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(store: Store): Promise<MigrationReport> {
  return migrate(store, (m) => m.migrateToLatest());
}

/** Up to the named step and no further: for tests of a step's data changes. */
export async function migrateTo(store: Store, name: string): Promise<MigrationReport> {
  return migrate(store, (m) => m.migrateTo(name));
}

async function migrate(
  store: Store,
  run: (migrator: Migrator) => ReturnType<Migrator['migrateToLatest']>,
): Promise<MigrationReport> {
  // Kysely looks for its own tables across schemas unless told which one: name it, so that
  // stores in separate schemas of one database (tests, tenants) never see each other's.
  const migrator = new Migrator({
    db: store.db,
    provider: new OrderedProvider(store.traits, { keyring: store.keyring }),
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await run(migrator);
  if (error) throw error;
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Every migration this program knows, in order: a restore refuses a snapshot migrated further. */
export const MIGRATION_NAMES: readonly string[] = STEPS.map(([name]) => name);
