import { DAY_MS } from '../core/calendar/definition.ts';
import { newCaseRow, reportEventRow } from '../cases/case-rows.ts';
import { resolveOwner } from '../core/responsibility/resolve.ts';
import type { Routing } from '../core/workflow/apply.ts';
import { chinaDay, formatReference } from '../core/workflow/reference.ts';
import { getCalendar } from '../calendar/get-calendar.ts';
import type { Store } from '../db/database.ts';
import { rowsPerInsert } from '../db/dialect.ts';
import type { CaseTable } from '../db/schema-cases.ts';
import { inTransaction } from '../db/transaction.ts';
import { rebuildCountyCounts } from '../indicators/rebuild-counts.ts';
import { getRegion } from '../regions/find-regions.ts';
import { loadRules } from '../responsibility/rules-cache.ts';
import { CaseRun, SYNTHETIC_USER, type EventRow, type NewTaskRow } from './demo-case-run.ts';
import { lifeContext, intakeWho } from './demo-actors.ts';
import { DEMO_FREQUENCIES, liveCase, type Frequencies, type LifeEnd } from './demo-case-life.ts';
import { sealReporter } from '../personal/reporter-data.ts';
import type { PersonalDataTable } from '../db/schema-personal.ts';
import {
  between,
  caseText,
  categoryWeight,
  chance,
  dayFactor,
  pickChannel,
  pickOne,
  pickTimeOfDay,
  pickWeighted,
  seededRandom,
  syntheticReporter,
  syntheticUuid,
  type LeafCategory,
} from './demo-history-plan.ts';

export const HISTORY_COUNTY = '330106000000';

/** The tables the history writes, children first: what a test or the bench empties to seed again. */
export const HISTORY_TABLES = [
  'case_daily_counts',
  'case_count_deltas',
  'case_tasks',
  'case_events',
  'personal_data',
  'cases',
  'reference_sequences',
] as const;
const CST_MS = 8 * 3_600_000;

export interface HistoryOptions {
  seed: number;
  /** About how many cases to report over the year (the arrival patterns make it inexact). */
  cases: number;
  /** The end of the year of history: the seed's clock now. */
  until: Date;
  /** How often each turn of a case's life happens; DEMO_FREQUENCIES by default. */
  frequencies?: Frequencies;
  /** Told how far the history is: cases simulated, then written. */
  onProgress?: (progress: HistoryProgress) => void;
}

export interface HistoryProgress {
  phase: 'simulate' | 'write' | 'counts';
  done: number;
  total: number;
}

export interface HistoryReport {
  cases: number;
  events: number;
  tasks: number;
  /** Cases still open at `until`. */
  open: number;
  /** Lives that ended where the workflow allowed none of the next steps they wanted (a defect). */
  stuck: number;
  milliseconds: number;
}

interface Grid {
  code: string;
  community_code: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
}

/**
 * A year of synthetic case history for 西湖区 (docs/demo.md), the same for the same seed: every
 * case is driven through the real workflow rules (applyAction) in memory, then the cases, events
 * and tasks are written with multi-row inserts in one transaction, the reference sequences are
 * moved past them and the indicator counts rebuilt once. Needs the demo grids, taxonomy,
 * organisation and responsibility lists, and a county with no cases yet.
 */
export async function seedDemoHistory(
  deps: { store: Pick<Store, 'db' | 'traits' | 'keyring'> },
  options: HistoryOptions,
): Promise<HistoryReport> {
  const started = performance.now();
  const { db } = deps.store;
  const random = seededRandom(options.seed);
  const until = options.until.getTime();
  const { calendar } = await getCalendar(db, HISTORY_COUNTY);
  const loaded = await loadRules(db);
  const leaves = await db
    .selectFrom('categories')
    .select(['code', 'name', 'parent_code'])
    .where('region_code', '=', `${HISTORY_COUNTY.slice(0, 2)}0000000000`)
    .where('leaf', '=', 1)
    .orderBy('code')
    .execute();
  const categories: LeafCategory[] = leaves.map((c) => ({
    code: c.code,
    name: c.name,
    group: loaded.categories.get(c.parent_code ?? '')?.name ?? c.name,
  }));
  const grids: Grid[] = await db
    .selectFrom('grids')
    .select(['code', 'community_code', 'min_lon', 'min_lat', 'max_lon', 'max_lat'])
    .where('community_code', 'like', `${HISTORY_COUNTY.slice(0, 6)}%`)
    .orderBy('code')
    .execute();
  if (grids.length === 0 || categories.length === 0)
    throw new Error('demo history needs grids and a taxonomy');
  const ctx = await lifeContext(db, HISTORY_COUNTY, loaded.rules.departmentsById);

  const steps = new Map<string, Array<{ code: string; level: string }>>();
  const places = new Map<string, { name: string }>();
  for (const code of new Set(grids.map((g) => g.community_code))) {
    const region = await getRegion(db, code);
    steps.set(code, [...region.path, region]);
    places.set(code, { name: region.name });
  }
  const routes = new Map<string, Routing>();
  const routeOf = (category: string, community: string): Routing => {
    const key = `${category}|${community}`;
    let routing = routes.get(key);
    if (!routing) {
      const chain = steps.get(community)! as Parameters<typeof resolveOwner>[2];
      const found = resolveOwner(loaded.rules, loaded.chainOf(category), chain);
      const lead = found?.lead.department?.id;
      if (!found || !lead) throw new Error(`no owner for ${category} in ${community}`);
      routing = {
        department_id: lead,
        overridden: false,
        list: { id: found.list.id, version: found.list.version },
        entry_id: found.entry.id,
        limits: found.entry.limits,
        co_handlers: found.co_handlers
          .map((h) => h.department?.id)
          .filter((id): id is string => id !== undefined && id !== lead),
      };
      routes.set(key, routing);
    }
    return routing;
  };

  // Arrivals: each China-time day gets its share of the year by season and day of the week.
  const lastDay = Math.floor((until + CST_MS) / DAY_MS);
  const groupSize = new Map<string, number>();
  for (const c of categories) groupSize.set(c.group, (groupSize.get(c.group) ?? 0) + 1);
  const monthWeights = Array.from({ length: 12 }, (_, m) =>
    categories.map((c) => categoryWeight(c, m, groupSize.get(c.group)!)),
  );
  const monthTotals = monthWeights.map((w) => w.reduce((s, x) => s + x, 0));
  const days = Array.from({ length: 365 }, (_, i) => lastDay - 364 + i);
  const monthOf = (day: number) => new Date(day * DAY_MS).getUTCMonth();
  const dayWeights = days.map((d) => dayFactor(calendar, d) * monthTotals[monthOf(d)]!);
  const totalWeight = dayWeights.reduce((s, w) => s + w, 0);
  const arrivals: number[] = [];
  days.forEach((day, i) => {
    const n = Math.floor((options.cases * dayWeights[i]!) / totalWeight + random());
    for (let k = 0; k < n; k++) {
      const at = day * DAY_MS - CST_MS + Math.floor(pickTimeOfDay(random));
      if (at < until) arrivals.push(at);
    }
  });
  arrivals.sort((a, b) => a - b);

  const sequences = new Map<string, number>();
  const originals = new Map<string, { id: string; at: number }>();
  const built: Array<Built> = [];
  const ends: Record<LifeEnd, number> = { finished: 0, until: 0, stuck: 0 };
  const frequencies = options.frequencies ?? DEMO_FREQUENCIES;
  const progress = (phase: HistoryProgress['phase'], done: number, total: number) =>
    options.onProgress?.({ phase, done, total });
  for (const [n, at] of arrivals.entries()) {
    if (n % 2000 === 0) progress('simulate', n, arrivals.length);
    const day = Math.floor((at + CST_MS) / DAY_MS);
    const month = monthOf(day);
    const category = categories[pickWeighted(random, monthWeights[month]!, monthTotals[month])]!;
    const grid = pickOne(random, grids);
    const channel = pickChannel(random, calendar.isWorkingDay(day));
    const refDay = chinaDay(new Date(at));
    const seq = (sequences.get(refDay) ?? 0) + 1;
    sequences.set(refDay, seq);
    const id = syntheticUuid(random);
    const community = grid.community_code;
    const place = `${places.get(community)!.name}${1 + Math.floor(random() * 40)}幢附近`;
    const [title, description] = caseText(random, category, place);
    const publicChannel = channel === 'web' || channel === 'hotline' || channel === 'open311';
    const signedIn =
      channel === 'web' && !ctx.reporter.actor.user_id.startsWith(SYNTHETIC_USER) && chance(random, 0.45);
    const named = publicChannel && !signedIn && !chance(random, 0.35) ? syntheticReporter(random) : null;
    const iso = new Date(at).toISOString();
    const lon = between(random, grid.min_lon + 1e-5, grid.max_lon - 1e-5);
    const lat = between(random, grid.min_lat + 1e-5, grid.max_lat - 1e-5);
    const row: CaseTable = newCaseRow({
      id,
      reference: formatReference(HISTORY_COUNTY.slice(0, 6), refDay, seq),
      channel,
      category_code: category.code,
      title,
      description,
      address: place,
      lon: Math.round(lon * 1e6) / 1e6,
      lat: Math.round(lat * 1e6) / 1e6,
      grid_code: grid.code,
      region_code: community,
      county_code: HISTORY_COUNTY,
      reporter_user_id: signedIn ? ctx.reporter.actor.user_id : null,
      anonymous: named || signedIn ? 0 : 1,
      stage_started_at: iso,
      reported_at: iso,
      updated_at: iso,
    });
    const who = intakeWho(channel, signedIn, ctx);
    const first: EventRow = reportEventRow(id, iso, who, { channel, category: category.code, photos: [] });
    const run = new CaseRun(row, first, calendar, until);
    // A duplicate: the same category in the same township within two days.
    const key = `${category.code}|${community.slice(0, 9)}`;
    const earlier = originals.get(key);
    const plan = { channel, routing: routeOf(category.code, community), community, grid: grid.code };
    const original = earlier && at - earlier.at < 2 * DAY_MS ? earlier.id : null;
    ends[liveCase(run, { ...plan, original }, ctx, random, frequencies)] += 1;
    if (run.stage !== 'voided' && run.stage !== 'merged') originals.set(key, { id, at });
    const personal = named && sealReporter(deps.store.keyring, id, { ...named, email: null }, iso);
    built.push({ ...run.rows(), personal });
  }

  progress('simulate', arrivals.length, arrivals.length);
  const report = await insertHistory(deps.store, built, sequences, (done) =>
    progress('write', done, built.length),
  );
  progress('counts', 0, 1);
  await rebuildCountyCounts(db, HISTORY_COUNTY);
  const open = built.filter((b) => !['closed', 'closed_unfixed', 'voided', 'merged'].includes(b.row.stage));
  return {
    ...report,
    open: open.length,
    stuck: ends.stuck,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** One case of the history: its row, events and tasks, and its reporter's sealed data. */
interface Built {
  row: CaseTable;
  events: EventRow[];
  tasks: NewTaskRow[];
  personal: PersonalDataTable | null;
}

async function insertHistory(
  store: Pick<Store, 'db' | 'traits'>,
  built: ReadonlyArray<Built>,
  sequences: ReadonlyMap<string, number>,
  written: (cases: number) => void,
): Promise<Pick<HistoryReport, 'cases' | 'events' | 'tasks'>> {
  const inChunks = async <T extends object>(rows: T[], write: (chunk: T[]) => Promise<unknown>) => {
    if (rows.length === 0) return;
    const size = rowsPerInsert(store.traits, Object.keys(rows[0]!).length);
    for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
  };
  const events = built.flatMap((b) => b.events);
  const tasks = built.flatMap((b) => b.tasks);
  await inTransaction(store.db, async (tx) => {
    let cases = 0;
    await inChunks(
      built.map((b) => b.row),
      async (chunk) => {
        await tx.insertInto('cases').values(chunk).execute();
        cases += chunk.length;
        if (cases % 2000 < chunk.length) written(cases);
      },
    );
    written(built.length);
    await inChunks(events, (chunk) => tx.insertInto('case_events').values(chunk).execute());
    await inChunks(tasks, (chunk) => tx.insertInto('case_tasks').values(chunk).execute());
    const people = built.flatMap((b) => (b.personal ? [b.personal] : []));
    await inChunks(people, (chunk) => tx.insertInto('personal_data').values(chunk).execute());
    await inChunks(
      [...sequences].map(([day, last]) => ({ county_code: HISTORY_COUNTY, day, last })),
      (chunk) =>
        tx
          .insertInto('reference_sequences')
          .values(chunk)
          .onConflict((oc) =>
            oc.columns(['county_code', 'day']).doUpdateSet((eb) => ({ last: eb.ref('excluded.last') })),
          )
          .execute(),
    );
  });
  return { cases: built.length, events: events.length, tasks: tasks.length };
}
