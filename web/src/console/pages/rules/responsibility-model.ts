import type { Duty, Entry, ListContent, Problem } from './rules-api.ts';

/**
 * The editor's view of a responsibility list: handlers written as the CSV writes them
 * (`type@level` or a department id, docs/responsibility.md), the server's problems grouped by the
 * row they name, and what a draft changes against the published version.
 */

export type Handler = Entry['lead'];

export const handlerText = (h: Handler): string =>
  'department_id' in h ? h.department_id : `${h.type}@${h.level}`;

/** `type@level` or a department id; the server checks that the type, level or unit exists. */
export function parseHandler(text: string): Handler {
  const at = text.indexOf('@');
  if (at < 0) return { department_id: text.trim() };
  return { type: text.slice(0, at).trim(), level: text.slice(at + 1).trim() } as Handler;
}

export const handlersText = (hs: readonly Handler[]): string => hs.map(handlerText).join('; ');
export const parseHandlers = (text: string): Handler[] =>
  text
    .split(/[;；]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseHandler);

/** A new entry: filled where a default is sensible, so that validation names what is missing. */
export function blankEntry(existing: readonly Entry[]): Entry {
  let n = existing.length + 1;
  const ids = new Set(existing.map((e) => e.id));
  while (ids.has(`new-${n}`)) n += 1;
  const limit = { amount: 1, unit: 'work_days' as const };
  return {
    id: `new-${n}`,
    category_code: '',
    scope_region_code: null,
    lead: { type: 'urban_management', level: 'county' },
    co_handlers: [],
    legal_basis: { law: '', article: '', text: '' },
    limits: { registration: limit, dispatch: limit, handling: limit, verification: limit },
    escalation: 'parent_command_centre',
  };
}

export interface RowProblems {
  entries: Map<number, Problem[]>;
  duties: Map<number, Problem[]>;
  /** Problems that name no row (none today; kept so that nothing the server says is lost). */
  other: Problem[];
}

/** `entries[3].lead` → row 3 of the entries, with the field after the index. */
export function problemsByRow(problems: readonly Problem[]): RowProblems {
  const out: RowProblems = { entries: new Map(), duties: new Map(), other: [] };
  for (const p of problems) {
    const match = /^(entries|township_duties)\[(\d+)\]/.exec(p.at);
    if (!match) {
      out.other.push(p);
      continue;
    }
    const rows = match[1] === 'entries' ? out.entries : out.duties;
    const i = Number(match[2]);
    rows.set(i, [...(rows.get(i) ?? []), p]);
  }
  return out;
}

/** The field a problem names (`lead`, `limits`, `legal_basis`, …), '' for the whole row. */
export function fieldOf(at: string): string {
  const rest = at.replace(/^[a-z_]+\[\d+\]\.?/, '');
  return rest.split(/[.[]/)[0] ?? '';
}

export type EntryField =
  'category_code' | 'scope_region_code' | 'lead' | 'co_handlers' | 'legal_basis' | 'limits' | 'escalation';
const ENTRY_FIELDS: readonly EntryField[] = [
  'category_code',
  'scope_region_code',
  'lead',
  'co_handlers',
  'legal_basis',
  'limits',
  'escalation',
];

export interface ListDiff {
  added: Entry[];
  removed: Entry[];
  changed: Array<{ before: Entry; after: Entry; fields: EntryField[] }>;
  dutiesAdded: Duty[];
  dutiesRemoved: Duty[];
  dutiesChanged: Array<{ before: Duty; after: Duty }>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const dutyKey = (d: Duty) => `${d.township_code}:${d.category_code}`;

/** What the draft changes against a published version: entries by id, duties by township and category. */
export function diffLists(published: ListContent, draft: ListContent): ListDiff {
  const before = new Map(published.entries.map((e) => [e.id, e]));
  const after = new Map(draft.entries.map((e) => [e.id, e]));
  const changed: ListDiff['changed'] = [];
  for (const [id, e] of after) {
    const old = before.get(id);
    if (!old) continue;
    const fields = ENTRY_FIELDS.filter((f) => !same(old[f], e[f]));
    if (fields.length) changed.push({ before: old, after: e, fields });
  }
  const dutiesBefore = new Map(published.township_duties.map((d) => [dutyKey(d), d]));
  const dutiesAfter = new Map(draft.township_duties.map((d) => [dutyKey(d), d]));
  return {
    added: draft.entries.filter((e) => !before.has(e.id)),
    removed: published.entries.filter((e) => !after.has(e.id)),
    changed,
    dutiesAdded: draft.township_duties.filter((d) => !dutiesBefore.has(dutyKey(d))),
    dutiesRemoved: published.township_duties.filter((d) => !dutiesAfter.has(dutyKey(d))),
    dutiesChanged: draft.township_duties.flatMap((d) => {
      const old = dutiesBefore.get(dutyKey(d));
      return old && old.duty !== d.duty ? [{ before: old, after: d }] : [];
    }),
  };
}

export const isEmptyDiff = (d: ListDiff) =>
  [d.added, d.removed, d.changed, d.dutiesAdded, d.dutiesRemoved, d.dutiesChanged].every(
    (x) => x.length === 0,
  );
