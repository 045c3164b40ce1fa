import { sql } from 'kysely';
import { getCalendar } from '../calendar/get-calendar.ts';
import { assertAllowed, decide } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { WorkCalendar } from '../core/calendar/work-calendar.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { COUNT_UP_TO, DEFAULT_PAGE, MAX_PAGE, type CaseSort } from '../core/paging.ts';
import { CLOCK_OF, DEFAULT_LIMITS, type StageLimits } from '../core/workflow/clocks.ts';
import { stageTime, type StageTime } from '../core/workflow/stage-time.ts';
import type { Stage } from '../core/workflow/stages.ts';
import { readJson, readTimestamp, type DialectTraits } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { matching, queueParts, readableBy, type QueuePart, type CaseFilters } from './case-list-filters.ts';
import { ftsDriver } from './case-text-search.ts';
import { findActorUnit, reporterView } from './case-rows.ts';
import { phoneLookup, readReporters } from '../personal/reporter-data.ts';
import type { Keyring } from '../db/keyring.ts';

export type { CaseFilters } from './case-list-filters.ts';

/** Where cases without a deadline go in the deadline order: last. An ISO time both stores compare. */
const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

/** Each order's key: the column (or expression) and its direction; the id breaks ties alike. */
function sortKey(sort: CaseSort, deadlineSet: boolean, ftsJoined: boolean) {
  // Read from the trigram table's matches, newest or oldest first: their search key, which
  // follows reported_at (migration 0025) and is unique, so the id never decides.
  if (ftsJoined) {
    return {
      key: sql<string | number>`${sql.ref('hits.search_key')}`,
      direction: sort === 'newest' ? ('desc' as const) : ('asc' as const),
    };
  }
  // When the filters keep only cases with a running deadline (overdue, due soon), the column
  // itself is the key, so that cases_deadline_idx gives the order; otherwise cases without one go last.
  const key =
    sort === 'deadline'
      ? deadlineSet
        ? sql<string | number>`${sql.ref('cases.stage_deadline')}`
        : sql<string | number>`coalesce(${sql.ref('cases.stage_deadline')}, ${NO_DEADLINE})`
      : sql<string | number>`${sql.ref('cases.reported_at')}`;
  return { key, direction: sort === 'newest' ? ('desc' as const) : ('asc' as const) };
}

/** Where a page stopped: its order, the last key (a time, or a search key's digits) and the last id. */
interface Cursor {
  sort: CaseSort;
  key: string;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id])).toString('base64url');
}

/**
 * A cursor of this list in this order, or a refusal (a cursor of another order cannot continue
 * it): a time for the column orders, a search key (digits: a 64-bit integer) for a text search's.
 */
function decodeCursor(text: string, sort: CaseSort, ftsJoined: boolean): Cursor {
  try {
    const [s, key, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (s === sort && typeof id === 'string') {
      if (ftsJoined && typeof key === 'string' && /^[0-9]{1,19}$/.test(key)) return { sort, key, id };
      if (!ftsJoined && typeof key === 'string' && !Number.isNaN(Date.parse(key))) {
        return { sort, key: new Date(key).toISOString(), id };
      }
    }
  } catch {
    // falls through to the refusal
  }
  throw new DomainError('request.invalid', { issues: 'cursor: not a cursor of this list' });
}

/** The plain list's source: cases. */
function casesOnly(db: DbOrTx) {
  return db.selectFrom('cases');
}

/**
 * The traffic light and time left of a case's running clock (stage-time.ts), in the limit the
 * responsibility entry set for this stage; null where no clock runs (parked, final stages).
 */
function clockOf(
  calendar: WorkCalendar,
  row: { limits: string | null; stage_started_at: unknown; clock_paused_ms: number | string },
  stage: Stage,
  deadline: string | null,
  now: Date,
): StageTime | null {
  const limited = CLOCK_OF[stage];
  if (limited === null || deadline === null) return null;
  const limits = row.limits ? readJson<StageLimits>(row.limits) : DEFAULT_LIMITS;
  return stageTime(calendar, {
    stage_started_at: readTimestamp(row.stage_started_at),
    stage_deadline: deadline,
    limit: limits[limited],
    paused_ms: Number(row.clock_paused_ms),
    now,
  });
}

/** The columns of a list row. */
const LIST_COLUMNS = [
  'cases.id',
  'cases.reference',
  'cases.stage',
  'cases.version',
  'cases.channel',
  'cases.category_code',
  'cases.title',
  'cases.address',
  'cases.region_code',
  'cases.grid_code',
  'cases.reporter_user_id',
  'cases.anonymous',
  'cases.owner_department_id',
  'cases.escalation_level',
  'cases.county_code',
  'cases.limits',
  'cases.clock_paused_ms',
  'cases.return_count',
  'cases.rework_count',
  'cases.stage_started_at',
  'cases.stage_deadline',
  'cases.handling_deadline',
  'cases.reported_at',
  'cases.closed_at',
] as const;

type CaseQuery = ReturnType<typeof casesOnly>;

/**
 * How many cases the queries match together, counted no further than `upTo`: one query as it
 * is; several part by part, stopping at the first that alone reaches `upTo` (a department's
 * first stage, from its index), else as their union, where every part is then smaller.
 */
async function countMatches(db: DbOrTx, queries: CaseQuery[], upTo: number): Promise<number> {
  const count = async (q: CaseQuery) => {
    const row = await db
      .selectFrom(q.select('cases.id').limit(upTo).as('matches'))
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  if (queries.length === 1) return count(queries[0]!);
  for (const q of queries) if ((await count(q)) >= upTo) return upTo;
  const [first, ...rest] = queries.map((q, i) =>
    db.selectFrom(q.select('cases.id').as(`part${i}`)).selectAll(),
  );
  let union = first!;
  for (const r of rest) union = union.union(r);
  const row = await db
    .selectFrom(union.as('matches'))
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirst();
  return Math.min(Number(row?.n ?? 0), upTo);
}

/**
 * One page of the cases the actor may read, newest report first, with the number that match:
 * exact up to `countUpTo` (COUNT_UP_TO), else that many and `total_exact: false`.
 * Residents see only what they reported; department handlers only their department's cases. The
 * reporter's name and phone are masked unless the actor may read personal data of that case.
 *
 * ```ts
 * await listCases({ db, clock }, actor, { region: '330106002', status: ['handling'], limit: 20 })
 * // → { items: [...], total: 37, total_exact: true, next_cursor: 'WyIyMDI2…' }
 * ```
 */
export async function listCases(
  deps: { db: DbOrTx; traits: DialectTraits; keyring: Keyring; clock: Clock },
  actor: Actor,
  filters: CaseFilters,
  options: { countUpTo?: number } = {},
) {
  const limit = Math.min(Math.max(filters.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
  const unit = await findActorUnit(deps.db, actor);
  const now = deps.clock.now();
  const sort = filters.sort ?? 'newest';
  // SQLite, words of three characters or more, newest or oldest first: the cases come from the
  // trigram table's matches in key order (a CROSS JOIN keeps SQLite from reordering), so a page
  // and the count stop early instead of fetching every match to sort it.
  const fts = sort === 'deadline' || filters.q === undefined ? null : ftsDriver(deps.traits, filters.q);
  const ftsJoined = fts !== null;
  // A search by phone tells who reported what: only for those who may read personal data.
  if (filters.phone !== undefined)
    assertAllowed(actor, 'case.read_personal_data', { region_code: actor.scope.code, department_id: unit });
  const phoneHash = filters.phone === undefined ? null : phoneLookup(deps.keyring, filters.phone);
  const context = { now, traits: deps.traits, actor, unit, ftsJoined, phoneHash };
  const from = ftsJoined
    ? (deps.db
        .selectFrom(
          sql<{
            search_key: number;
            case_id: string;
          }>`(SELECT cases_fts.rowid AS search_key, case_search_keys.case_id FROM cases_fts JOIN case_search_keys ON case_search_keys.key = cases_fts.rowid WHERE cases_fts MATCH ${fts})`.as(
            'hits',
          ),
        )
        .crossJoin('cases')
        .whereRef('cases.id', '=', 'hits.case_id') as unknown as ReturnType<typeof casesOnly>)
    : casesOnly(deps.db);
  const where = (part?: QueuePart) => {
    const scope = readableBy(actor, unit, { involved: part?.involved });
    const filter = matching(filters, { ...context, queuePart: part?.where });
    return from.where((eb) => eb.and([scope(eb), filter(eb)]));
  };
  // A queue of several parts (an owner's stages, tasks, summonses) is read part by part, each from
  // its own index, and the pages merged: as one OR, no index serves it (bench/worklist.ts).
  const parts = filters.assigned_to === 'me' && !ftsJoined ? queueParts(actor, unit) : [];
  const bases = parts.length > 1 ? parts.map((p) => where(p)) : [where()];

  // Plans: a region filter or a scope below the province walks cases_region_idx (region_code,
  // reported_at) as a range; a department's queue reads cases_owner_idx (owner_department_id,
  // stage, reported_at) a stage at a time, its tasks from case_tasks_department_idx.
  // The total, exact up to countUpTo: the count reads no further than the match after that.
  const countUpTo = options.countUpTo ?? COUNT_UP_TO;
  const total = await countMatches(deps.db, bases, countUpTo + 1);
  const { key, direction } = sortKey(
    sort,
    Boolean(filters.overdue) || filters.due_within !== undefined,
    ftsJoined,
  );
  const after = filters.cursor ? decodeCursor(filters.cursor, sort, ftsJoined) : null;
  const offset = after ? 0 : (filters.offset ?? 0);
  const pages = bases.map((base) => {
    let page = base;
    if (after) {
      const op = direction === 'desc' ? '<' : '>';
      page = page.where((eb) => {
        // Search keys pass as text (they exceed 2^53, so a JS number would round them).
        const at = ftsJoined ? sql<string>`CAST(${after.key} AS INTEGER)` : after.key;
        return eb.or([eb(key, op, at), eb.and([eb(key, '=', at), eb('cases.id', op, after.id)])]);
      });
    }
    return (
      page
        .select(LIST_COLUMNS)
        .select((ftsJoined ? sql<string>`CAST(${key} AS TEXT)` : key).as('sort_key'))
        .orderBy(key, direction)
        // A search key is unique: a second term would make SQLite sort the matches instead of
        // reading them in the trigram table's order.
        .$if(!ftsJoined, (q) => q.orderBy('cases.id', direction))
    );
  });
  let rows;
  if (pages.length === 1) {
    rows = await pages[0]!
      .limit(limit + 1)
      .offset(offset)
      .execute();
  } else {
    // Each part's first offset + limit + 1 cases, in one statement, merged in the same order; a
    // case in two parts comes twice, side by side, and once after dedupe.
    const [first, ...rest] = pages.map((p, i) =>
      deps.db.selectFrom(p.limit(offset + limit + 1).as(`part${i}`)).selectAll(),
    );
    let union = first!;
    for (const r of rest) union = union.unionAll(r);
    const merged = await union.orderBy('sort_key', direction).orderBy('id', direction).execute();
    rows = merged.filter((r, i) => i === 0 || r.id !== merged[i - 1]!.id).slice(offset, offset + limit + 1);
  }

  // The page's cases where the actor's department holds a task (its part in them decides what it
  // may read of the reporter), in one look-up rather than a test on every row read.
  const tasked = new Set<string>();
  if (unit !== null && rows.length > 0) {
    const held = await deps.db
      .selectFrom('case_tasks')
      .select('case_tasks.case_id')
      .where('case_tasks.department_id', '=', unit)
      .where(
        'case_tasks.case_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    for (const h of held) tasked.add(h.case_id);
  }
  const calendars = new Map<string, WorkCalendar>();
  for (const row of rows) {
    if (!calendars.has(row.county_code)) {
      calendars.set(row.county_code, (await getCalendar(deps.db, row.county_code)).calendar);
    }
  }
  const reporters = await readReporters(
    deps.db,
    deps.keyring,
    rows.slice(0, limit).map((r) => r.id),
  );
  const items = rows.slice(0, limit).map((row) => {
    const involved = unit !== null && (row.owner_department_id === unit || tasked.has(row.id));
    const resource = {
      region_code: row.region_code,
      department_id: involved ? unit : row.owner_department_id,
    };
    const personal =
      (row.reporter_user_id !== null && row.reporter_user_id === actor.user_id) ||
      decide(actor, 'case.read_personal_data', resource).allowed;
    const deadline = row.stage_deadline === null ? null : readTimestamp(row.stage_deadline);
    const stage = row.stage as Stage;
    return {
      id: row.id,
      reference: row.reference,
      status: stage,
      version: row.version,
      channel: row.channel,
      category: row.category_code,
      title: row.title,
      address: row.address,
      region: row.region_code,
      grid: row.grid_code,
      reporter: reporterView(reporters.get(row.id), row.anonymous, personal),
      owner_department_id: row.owner_department_id,
      escalation_level: row.escalation_level,
      return_count: row.return_count,
      rework_count: row.rework_count,
      stage_started_at: readTimestamp(row.stage_started_at),
      stage_deadline: deadline,
      clock: clockOf(calendars.get(row.county_code)!, row, stage, deadline, now),
      handling_deadline: row.handling_deadline === null ? null : readTimestamp(row.handling_deadline),
      overdue: CLOCK_OF[stage] !== null && deadline !== null && new Date(deadline) < now,
      reported_at: readTimestamp(row.reported_at),
      closed_at: row.closed_at === null ? null : readTimestamp(row.closed_at),
    };
  });
  const last = items.at(-1);
  return {
    items,
    total: Math.min(total, countUpTo),
    total_exact: total <= countUpTo,
    next_cursor:
      rows.length > limit && last
        ? encodeCursor({
            sort,
            key: ftsJoined ? String(rows[limit - 1]!.sort_key) : readTimestamp(rows[limit - 1]!.sort_key),
            id: last.id,
          })
        : null,
  };
}
