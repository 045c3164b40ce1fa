import { HolidayYearBody } from '../../api/calendar.ts';
import { loadHolidayYear } from '../../calendar/load-holiday-year.ts';
import { systemClock } from '../../core/clock.ts';
import { DomainError } from '../../core/errors.ts';
import { CATEGORY_KINDS, type CategoryKind } from '../../core/taxonomy/codes.ts';
import { exportList } from '../../responsibility/export-list.ts';
import { importList } from '../../responsibility/import-list.ts';
import { publishList } from '../../responsibility/publish-list.ts';
import { exportTaxonomy } from '../../taxonomy/export-taxonomy.ts';
import { importTaxonomyCsv } from '../../taxonomy/import-taxonomy-csv.ts';
import { readJson, readText, SYSTEM, writeOutput, type Command } from '../command.ts';

/** Who owns what and by when: taxonomy, holiday years, responsibility lists. */
export const RULE_COMMANDS: Record<string, Command> = {
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
      return writeOutput(text, out, `taxonomy of ${region} written to ${out}`);
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
      return writeOutput(text, out, `responsibility list of ${region} written to ${out}`);
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
      const text = readText(file!);
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
