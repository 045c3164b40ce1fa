import { isDepartmentType } from '../organisation/department-types.ts';
import { REGION_LEVELS, type RegionLevel } from '../regions/codes.ts';
import {
  ESCALATION_TARGETS,
  LIMIT_UNITS,
  LIMITED_STAGES,
  TOWNSHIP_DUTIES,
  type EscalationTarget,
  type HandlerRef,
  type LimitUnit,
  type ResponsibilityEntry,
  type TimeLimit,
  type TownshipDuty,
  type TownshipDutyKind,
} from './entries.ts';

/**
 * The CSV form of a responsibility list, one row per entry or township duty, for the people who
 * keep these lists in spreadsheets. Handlers are written `type@level` or a department id; several
 * co-handlers are separated by `;`; a time limit is `amount unit` (e.g. `5 work_days`).
 */
export const LIST_CSV_COLUMNS = [
  'record',
  'id',
  'category_code',
  'scope_region_code',
  'lead',
  'co_handlers',
  'law',
  'article',
  'text',
  ...LIMITED_STAGES,
  'escalation',
  'township_code',
  'duty',
] as const;

export interface ListContent {
  entries: ResponsibilityEntry[];
  township_duties: TownshipDuty[];
}

export interface CsvRowError {
  /** 1-based line of the file (the header is line 1). */
  row: number;
  reason: string;
}

const writeHandler = (h: HandlerRef) =>
  h.department_id !== undefined ? h.department_id : `${h.type}@${h.level}`;

export function listToCsvRows(content: ListContent): string[][] {
  const rows: string[][] = [[...LIST_CSV_COLUMNS]];
  for (const e of content.entries) {
    rows.push([
      'entry',
      e.id,
      e.category_code,
      e.scope_region_code ?? '',
      writeHandler(e.lead),
      e.co_handlers.map(writeHandler).join(';'),
      e.legal_basis.law,
      e.legal_basis.article,
      e.legal_basis.text,
      ...LIMITED_STAGES.map((s) => `${e.limits[s].amount} ${e.limits[s].unit}`),
      e.escalation,
      '',
      '',
    ]);
  }
  for (const d of content.township_duties) {
    rows.push([
      'township_duty',
      '',
      d.category_code,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      d.township_code,
      d.duty,
    ]);
  }
  return rows;
}

function readHandler(text: string): HandlerRef | string {
  const [type, level] = text.split('@');
  if (level === undefined) return text ? { department_id: text } : 'a handler is required';
  if (!type || !isDepartmentType(type)) return `unknown department type "${type}"`;
  if (!REGION_LEVELS.includes(level as RegionLevel)) return `unknown level "${level}"`;
  return { type, level: level as RegionLevel };
}

function readLimit(text: string): TimeLimit | string {
  const match = /^\s*(\d+(?:\.\d+)?)\s+(\w+)\s*$/.exec(text);
  if (!match || !LIMIT_UNITS.includes(match[2] as LimitUnit))
    return `"${text}" is not "amount unit" with a unit of ${LIMIT_UNITS.join(', ')}`;
  return { amount: Number(match[1]), unit: match[2] as LimitUnit };
}

/** Reads the rows after the header; every bad row is reported with its line, none is dropped silently. */
export function csvRecordsToList(records: ReadonlyArray<{ line: number; fields: string[] }>): {
  content: ListContent;
  errors: CsvRowError[];
  /** The line of each entry and township duty, to report later (semantic) problems by row. */
  lines: { entries: number[]; township_duties: number[] };
} {
  const content: ListContent = { entries: [], township_duties: [] };
  const errors: CsvRowError[] = [];
  const lines = { entries: [] as number[], township_duties: [] as number[] };
  const [header, ...body] = records;
  if (!header || header.fields.join(',') !== LIST_CSV_COLUMNS.join(',')) {
    errors.push({ row: header?.line ?? 1, reason: `the header must be: ${LIST_CSV_COLUMNS.join(',')}` });
    return { content, errors, lines };
  }
  for (const { line, fields } of body) {
    const get = (column: (typeof LIST_CSV_COLUMNS)[number]) =>
      (fields[LIST_CSV_COLUMNS.indexOf(column)] ?? '').trim();
    const fail = (reason: string) => errors.push({ row: line, reason });
    if (fields.length !== LIST_CSV_COLUMNS.length) {
      fail(`${fields.length} columns, expected ${LIST_CSV_COLUMNS.length}`);
    } else if (get('record') === 'township_duty') {
      const duty = get('duty') as TownshipDutyKind;
      if (!TOWNSHIP_DUTIES.includes(duty)) fail(`duty must be one of ${TOWNSHIP_DUTIES.join(', ')}`);
      else if (!/^\d{12}$/.test(get('township_code'))) fail('township_code must be a 12-digit code');
      else {
        content.township_duties.push({
          township_code: get('township_code'),
          category_code: get('category_code'),
          duty,
        });
        lines.township_duties.push(line);
      }
    } else if (get('record') === 'entry') {
      const lead = readHandler(get('lead'));
      const co = get('co_handlers')
        ? get('co_handlers')
            .split(';')
            .map((t) => readHandler(t.trim()))
        : [];
      const limits = LIMITED_STAGES.map((s) => [s, readLimit(get(s))] as const);
      const problems = [lead, ...co, ...limits.map(([, l]) => l)].filter(
        (x): x is string => typeof x === 'string',
      );
      const escalation = get('escalation') as EscalationTarget;
      if (!ESCALATION_TARGETS.includes(escalation))
        problems.push(`escalation must be one of ${ESCALATION_TARGETS.join(', ')}`);
      if (!get('id') || !get('category_code')) problems.push('id and category_code are required');
      const scope = get('scope_region_code');
      if (scope && !/^\d{12}$/.test(scope))
        problems.push('scope_region_code must be empty or a 12-digit code');
      if (problems.length > 0) {
        fail(problems.join('; '));
        continue;
      }
      content.entries.push({
        id: get('id'),
        category_code: get('category_code'),
        scope_region_code: scope || null,
        lead: lead as HandlerRef,
        co_handlers: co as HandlerRef[],
        legal_basis: { law: get('law'), article: get('article'), text: get('text') },
        limits: Object.fromEntries(limits) as ResponsibilityEntry['limits'],
        escalation,
      });
      lines.entries.push(line);
    } else {
      fail('record must be "entry" or "township_duty"');
    }
  }
  return { content, errors, lines };
}
