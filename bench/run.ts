import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchBundle } from './bundle.ts';
import { benchCalendar } from './calendar.ts';
import { benchDemo } from './demo.ts';
import { benchIntake } from './intake.ts';
import { benchIndicators } from './indicators.ts';
import { benchOpen311 } from './open311.ts';
import { benchOutbox } from './outbox.ts';
import { benchLoad } from './load.ts';
import { benchLocate } from './locate.ts';
import { benchRegions } from './regions.ts';
import { benchResponsibility } from './responsibility.ts';
import type { BenchOptions, BenchRow } from './row.ts';
import { benchServer } from './server.ts';
import { benchSweep } from './sweep.ts';
import { benchWorklist } from './worklist.ts';

/**
 * `npm run bench [-- --quick]`: every figure beside its baseline, measured in this run on this
 * machine, printed as a table and written to bench/results/latest.json (docs/CONTRACT.md).
 */
const options: BenchOptions = {
  quick: process.argv.includes('--quick'),
  databaseUrl: process.env.DATABASE_URL || undefined,
};

const suites: Array<[string, (o: BenchOptions) => Promise<BenchRow[]>]> = [
  ['regions', benchRegions],
  ['locate', benchLocate],
  ['responsibility', benchResponsibility],
  ['server', benchServer],
  ['calendar', benchCalendar],
  ['intake', benchIntake],
  ['indicators', benchIndicators],
  ['sweep', benchSweep],
  ['worklist', benchWorklist],
  ['open311', benchOpen311],
  ['outbox', benchOutbox],
  ['demo', benchDemo],
  ['bundle', benchBundle],
  ['load', benchLoad],
];

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const rows: BenchRow[] = [];
for (const [name, suite] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}${options.quick ? ' (quick)' : ''} …\n`);
  rows.push(...(await suite(options)));
}

const table = rows.map((r) => ({
  name: r.name,
  value: `${r.value} ${r.unit}`,
  baseline: r.baseline_name ? `${r.baseline_value} ${r.unit} (${r.baseline_name})` : '—',
  ratio: r.ratio ?? '—',
  better: r.better,
}));
console.table(table);
for (const r of rows) if (r.note) console.log(`  ${r.name}: ${r.note}`);
console.log(`  machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/latest.json',
  `${JSON.stringify(
    rows.map(({ note: _note, ...r }) => r),
    null,
    2,
  )}\n`,
);
