import type { Keyring } from '../db/keyring.ts';
import { maskName, maskPhone } from '../core/access/masking.ts';
import ExcelJS from 'exceljs';
import type { Actor } from '../core/access/roles.ts';
import { CST_OFFSET_MS } from '../core/calendar/definition.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { MAX_PAGE } from '../core/paging.ts';
import type { DialectTraits } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { both, EXPORT_COLUMNS, EXPORT_TEXTS, LIGHT_LABELS } from '../i18n/case-export.ts';
import { stageLabel } from '../i18n/case-labels.ts';
import { listCases, type CaseFilters } from './list-cases.ts';

/** One export holds at most this many cases: a county's month, not the province's history. */
export const MAX_EXPORT = 10_000;

type Item = Awaited<ReturnType<typeof listCases>>['items'][number];

/**
 * Excel cells hold no time zone: a time is written as China Standard Time, the clock the handlers
 * read (definition.ts), with the zone named in the header.
 */
function chinaTime(iso: string | null): Date | null {
  return iso === null ? null : new Date(new Date(iso).getTime() + CST_OFFSET_MS);
}

const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/**
 * The worklist as the caller sees it, as an .xlsx workbook: the same filters, the same cases and
 * cases as `GET /api/v1/cases` (it reads through listCases), the reporter always masked, every
 * case in one sheet and the filters, the time and the person of the export in a second, so that a
 * figure taken from the file can be traced to the query behind it. Refuses more than `maxCases`
 * (MAX_EXPORT) rather than cut the list short.
 */
export async function exportCases(
  deps: { db: DbOrTx; traits: DialectTraits; keyring: Keyring; clock: Clock },
  actor: Actor,
  filters: Omit<CaseFilters, 'cursor' | 'offset' | 'limit'>,
  maxCases = MAX_EXPORT,
): Promise<{ workbook: Buffer; cases: number }> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listCases(
      deps,
      actor,
      { ...filters, limit: MAX_PAGE, ...(cursor ? { cursor } : {}) },
      { countUpTo: maxCases },
    );
    if (!page.total_exact) {
      throw new DomainError('export.too_large', { max: maxCases });
    }
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }

  const book = new ExcelJS.Workbook();
  book.creator = 'Shanzhi 善治';
  book.created = deps.clock.now();
  const sheet = book.addWorksheet(both(EXPORT_TEXTS.casesSheet), { views: [{ state: 'frozen', ySplit: 1 }] });
  const time = (label: (typeof EXPORT_COLUMNS)[keyof typeof EXPORT_COLUMNS]) => `${both(label)} (UTC+8)`;
  sheet.columns = [
    { header: both(EXPORT_COLUMNS.reference), key: 'reference', width: 22 },
    { header: both(EXPORT_COLUMNS.title), key: 'title', width: 30 },
    { header: both(EXPORT_COLUMNS.stage), key: 'stage', width: 24 },
    { header: both(EXPORT_COLUMNS.category), key: 'category', width: 12 },
    { header: both(EXPORT_COLUMNS.channel), key: 'channel', width: 12 },
    { header: both(EXPORT_COLUMNS.region), key: 'region', width: 15 },
    { header: both(EXPORT_COLUMNS.grid), key: 'grid', width: 18 },
    { header: both(EXPORT_COLUMNS.address), key: 'address', width: 30 },
    { header: both(EXPORT_COLUMNS.reporter_name), key: 'reporter_name', width: 12 },
    { header: both(EXPORT_COLUMNS.reporter_phone), key: 'reporter_phone', width: 15 },
    { header: both(EXPORT_COLUMNS.owner_department), key: 'owner', width: 20 },
    { header: both(EXPORT_COLUMNS.light), key: 'light', width: 16 },
    { header: both(EXPORT_COLUMNS.used_percent), key: 'used', width: 12 },
    {
      header: time(EXPORT_COLUMNS.stage_deadline),
      key: 'deadline',
      width: 18,
      style: { numFmt: TIME_FORMAT },
    },
    { header: both(EXPORT_COLUMNS.overdue), key: 'overdue', width: 10 },
    { header: both(EXPORT_COLUMNS.returns), key: 'returns', width: 10 },
    { header: both(EXPORT_COLUMNS.reworks), key: 'reworks', width: 10 },
    { header: time(EXPORT_COLUMNS.reported_at), key: 'reported', width: 18, style: { numFmt: TIME_FORMAT } },
    { header: time(EXPORT_COLUMNS.closed_at), key: 'closed', width: 18, style: { numFmt: TIME_FORMAT } },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const c of items) {
    sheet.addRow({
      reference: c.reference,
      title: c.title,
      stage: both(stageLabel(c.status)),
      category: c.category,
      channel: c.channel,
      region: c.region,
      grid: c.grid,
      address: c.address,
      // A file leaves the platform: the reporter masked for every reader (docs/personal-data.md).
      reporter_name: c.reporter.name && maskName(c.reporter.name),
      reporter_phone: c.reporter.phone && maskPhone(c.reporter.phone),
      owner: c.owner_department_id,
      light: c.clock ? both(LIGHT_LABELS[c.clock.light]) : null,
      used: c.clock?.used_percent ?? null,
      deadline: chinaTime(c.stage_deadline),
      overdue: both(c.overdue ? EXPORT_TEXTS.yes : EXPORT_TEXTS.no),
      returns: c.return_count,
      reworks: c.rework_count,
      reported: chinaTime(c.reported_at),
      closed: chinaTime(c.closed_at),
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };

  const about = book.addWorksheet(both(EXPORT_TEXTS.filtersSheet));
  about.columns = [
    { header: both(EXPORT_TEXTS.filter), key: 'name', width: 24 },
    { header: both(EXPORT_TEXTS.value), key: 'value', width: 40 },
  ];
  about.getRow(1).font = { bold: true };
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    about.addRow({ name, value: Array.isArray(value) ? value.join(',') : String(value) });
  }
  about.addRow({ name: both(EXPORT_TEXTS.total), value: items.length });
  about.addRow({ name: both(EXPORT_TEXTS.exportedBy), value: actor.username });
  about.addRow({ name: `${both(EXPORT_TEXTS.exportedAt)} (UTC)`, value: deps.clock.now().toISOString() });

  const workbook = Buffer.from(await book.xlsx.writeBuffer());
  return { workbook, cases: items.length };
}
