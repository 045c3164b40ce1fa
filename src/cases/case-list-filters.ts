import { type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { GRANTS, isDepartmentBound } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { CaseSort } from '../core/paging.ts';
import { normalizeRegionCode, subtreeRange } from '../core/regions/codes.ts';
import { CLOCK_OF } from '../core/workflow/clocks.ts';
import type { TaskStatus } from '../core/workflow/case-snapshot.ts';
import { STAGES, type Channel, type Stage } from '../core/workflow/stages.ts';
import { workQueue, type QueueEntry } from '../core/workflow/work-queue.ts';
import type { DialectTraits } from '../db/dialect.ts';
import type { Database } from '../db/schema.ts';
import { caseTextMatch } from './case-text-search.ts';

export interface CaseFilters {
  /** A region code in any of the 2, 4, 6, 9 or 12 digit forms: the region and its subtree. */
  region?: string;
  status?: readonly Stage[];
  /** A category code: the category and every category below it (codes nest by prefix). */
  category?: string;
  /** Only cases whose running clock has passed its deadline. */
  overdue?: boolean;
  /** reported_at ≥ from, < to (ISO 8601). */
  from?: string;
  to?: string;
  owner_department?: string;
  /** Only cases that came in by this channel (web, hotline, patrol, …). */
  channel?: Channel;
  /** `me`: only the cases waiting for a step of the actor (its queue, work-queue.ts). */
  assigned_to?: 'me';
  /** Only cases whose running clock ends within this many hours from now (not yet overdue). */
  due_within?: number;
  /** Only cases sent back: returned by a department (registered, arbitration) or failed at verification (handling). */
  returned?: boolean;
  /** Only cases a command centre has supervised (督办). */
  supervised?: boolean;
  /** Only cases whose whistle (吹哨) waits for the caller's department to report in (报到). */
  summoned?: boolean;
  /** A reference number (exact), or words that must all occur in the title or description (case-text-search.ts). */
  q?: string;
  /** A reporter's phone number, found by its keyed hash (staff who may read personal data only). */
  phone?: string;
  /** The order: newest report first by default. */
  sort?: CaseSort;
  /** At most MAX_PAGE; 50 by default. */
  limit?: number;
  /** Where the previous page stopped (its next_cursor); wins over offset. */
  cursor?: string;
  offset?: number;
}

/** Stages whose clock runs: parked (paused) and final stages are never overdue. */
const CLOCKED_STAGES = STAGES.filter((s) => CLOCK_OF[s] !== null);

export type Where = ExpressionBuilder<Database, 'cases'>;

const HOUR_MS = 3600 * 1000;

/**
 * The cases the actor may read, as SQL: one condition per role that grants case.read (its scope
 * subtree, narrowed to its department's cases where the permission is department-bound, as
 * decide() does row by row), plus the cases the actor reported. `involved`: the list's own
 * condition already keeps only cases the department owns or holds a task in (a queue part), so
 * the narrowing would test again what is known.
 */
export function readableBy(actor: Actor, unit: string | null, known: { involved?: boolean } = {}) {
  return (eb: Where): Expression<SqlBool> => {
    const { low, high } = subtreeRange(actor.scope.code, actor.scope.level);
    const inScope = eb.and([eb('cases.region_code', '>=', low), eb('cases.region_code', '<=', high)]);
    const ors: Expression<SqlBool>[] = [];
    for (const role of actor.roles) {
      if (!GRANTS[role].includes('case.read')) continue;
      if (!isDepartmentBound(role, 'case.read')) {
        ors.push(inScope);
        continue;
      }
      if (unit === null) continue;
      if (known.involved) {
        ors.push(inScope);
        continue;
      }
      // A department reads the cases it owns and those where it holds a task (co-handling, 吹哨).
      ors.push(
        eb.and([
          inScope,
          eb.or([
            eb('cases.owner_department_id', '=', unit),
            eb.exists(
              eb
                .selectFrom('case_tasks')
                .select('case_tasks.case_id')
                .whereRef('case_tasks.case_id', '=', 'cases.id')
                .where('case_tasks.department_id', '=', unit),
            ),
          ]),
        ]),
      );
    }
    ors.push(eb('cases.reporter_user_id', '=', actor.user_id));
    return eb.or(ors);
  };
}

/**
 * A department's task on the case, as SQL: `cases.id IN (its tasks)`, served by
 * case_tasks_department_idx (department_id, status). An IN list rather than a correlated EXISTS, so
 * that each branch of a queue can drive the plan (SQLite's multi-index OR, a bitmap OR on
 * PostgreSQL) instead of a check on every case of the county (bench/worklist.ts).
 */
function taskOf(eb: Where, unit: string, statuses: readonly TaskStatus[], lead: boolean) {
  let tasks = eb
    .selectFrom('case_tasks')
    .select('case_tasks.case_id')
    .where('case_tasks.department_id', '=', unit)
    .where('case_tasks.status', 'in', [...statuses]);
  if (!lead) tasks = tasks.where('case_tasks.role', '!=', 'lead');
  return eb('cases.id', 'in', tasks);
}

/** A condition on the cases of the list, as SQL. */
export type CaseCondition = (eb: Where) => Expression<SqlBool>;

/** A part of a queue: its condition, and whether it keeps only the department's own or tasked cases. */
export interface QueuePart {
  where: CaseCondition;
  involved: boolean;
}

/** A queue part: its stages, the pending extension where the step needs one, the party's own condition. */
function part(stages: readonly Stage[], entry: QueueEntry, own?: CaseCondition): CaseCondition {
  return (eb) =>
    eb.and([
      eb('cases.stage', 'in', [...stages]),
      ...(entry.condition === 'pending_extension' ? [eb('cases.pending_extension', 'is not', null)] : []),
      ...(own ? [own(eb)] : []),
    ]);
}

/**
 * The actor's queue (work-queue.ts) as separate conditions whose union is the queue, each one an
 * index serves alone: the owner's, one per stage (cases_owner_idx gives a stage's cases in report
 * order), a task holder's and a summoned department's (case_tasks_department_idx), the
 * reporter's, and one for the steps the role itself plays (dispatcher, centre, verifier, grid
 * worker, whistler: their stages; scope is the list's). Empty: nothing waits for the actor.
 */
export function queueParts(actor: Actor, unit: string | null): QueuePart[] {
  const parts: QueuePart[] = [];
  const add = (where: CaseCondition, involved: boolean) => parts.push({ where, involved });
  const roleStages: Stage[] = [];
  for (const entry of workQueue(actor.roles)) {
    switch (entry.party) {
      case 'owner':
        if (unit === null) break;
        for (const stage of entry.stages) {
          add(
            part([stage], entry, (eb) => eb('cases.owner_department_id', '=', unit)),
            true,
          );
        }
        break;
      case 'task_holder':
        if (unit !== null)
          add(
            part(entry.stages, entry, (eb) => taskOf(eb, unit, ['open'], false)),
            true,
          );
        break;
      case 'summoned':
        if (unit === null) break;
        add(
          part(entry.stages, entry, (eb) => taskOf(eb, unit, ['awaiting_report_in', 'escalated'], true)),
          true,
        );
        break;
      case 'reporter':
        add(
          part(entry.stages, entry, (eb) => eb('cases.reporter_user_id', '=', actor.user_id)),
          false,
        );
        break;
      default:
        if (entry.condition !== null) add(part(entry.stages, entry), false);
        else roleStages.push(...entry.stages.filter((s) => !roleStages.includes(s)));
        break;
    }
  }
  if (roleStages.length > 0)
    parts.unshift({ where: (eb) => eb('cases.stage', 'in', roleStages), involved: false });
  return parts;
}

/**
 * The list's filters as SQL; `now` for the clock filters, the actor and its unit for the queue:
 * all of its parts, or only `queuePart` where the list reads the queue part by part (list-queue.ts).
 */
export function matching(
  filters: CaseFilters,
  context: {
    now: Date;
    traits: DialectTraits;
    actor: Actor;
    unit: string | null;
    ftsJoined?: boolean;
    queuePart?: CaseCondition;
    /** The keyed hash of `filters.phone` (personal/reporter-data.ts); the list checks who may ask. */
    phoneHash?: string | null;
  },
) {
  const { now, traits } = context;
  // The whole queue as one OR, unless the caller reads it part by part (then only its part).
  let queue: CaseCondition | null = null;
  if (filters.assigned_to === 'me') {
    const parts = context.queuePart ? [] : queueParts(context.actor, context.unit);
    queue =
      context.queuePart ??
      ((eb) => (parts.length > 0 ? eb.or(parts.map((p) => p.where(eb))) : eb.lit(false)));
  }
  return (eb: Where) => {
    const and: Expression<SqlBool>[] = [];
    if (filters.region) {
      const { code, level } = normalizeRegionCode(filters.region);
      if (level) {
        const { low, high } = subtreeRange(code, level);
        and.push(eb('cases.region_code', '>=', low), eb('cases.region_code', '<=', high));
      } else {
        and.push(eb('cases.region_code', '=', code));
      }
    }
    if (filters.status?.length) and.push(eb('cases.stage', 'in', [...filters.status]));
    // Category codes are [0-9A-Z] segments, so the prefix holds no LIKE wildcard.
    if (filters.category) and.push(eb('cases.category_code', 'like', `${filters.category}%`));
    if (filters.overdue) {
      and.push(eb('cases.stage', 'in', CLOCKED_STAGES), eb('cases.stage_deadline', '<', now.toISOString()));
    }
    if (filters.due_within !== undefined) {
      const until = new Date(now.getTime() + filters.due_within * HOUR_MS).toISOString();
      and.push(
        eb('cases.stage', 'in', CLOCKED_STAGES),
        eb('cases.stage_deadline', '>=', now.toISOString()),
        eb('cases.stage_deadline', '<=', until),
      );
    }
    if (filters.returned) {
      and.push(
        eb.or([
          eb.and([eb('cases.stage', 'in', ['registered', 'arbitration']), eb('cases.return_count', '>', 0)]),
          eb.and([eb('cases.stage', '=', 'handling'), eb('cases.rework_count', '>', 0)]),
        ]),
      );
    }
    if (filters.supervised) {
      and.push(
        eb.exists(
          eb
            .selectFrom('case_events')
            .select('case_events.id')
            .whereRef('case_events.case_id', '=', 'cases.id')
            .where('case_events.action', '=', 'supervise'),
        ),
      );
    }
    if (filters.summoned) {
      const unit = context.unit;
      and.push(unit === null ? eb.lit(false) : taskOf(eb, unit, ['awaiting_report_in', 'escalated'], true));
    }
    if (filters.from) and.push(eb('cases.reported_at', '>=', new Date(filters.from).toISOString()));
    if (filters.to) and.push(eb('cases.reported_at', '<', new Date(filters.to).toISOString()));
    if (filters.owner_department) and.push(eb('cases.owner_department_id', '=', filters.owner_department));
    if (filters.channel) and.push(eb('cases.channel', '=', filters.channel));
    if (queue) and.push(queue(eb));
    if (filters.q !== undefined) {
      and.push(caseTextMatch(traits, filters.q, { ftsJoined: context.ftsJoined ?? false })(eb));
    }
    if (filters.phone !== undefined) {
      // Serves: personal_data_phone_idx; nothing is opened to search.
      and.push(
        eb(
          'cases.id',
          'in',
          eb
            .selectFrom('personal_data')
            .select('personal_data.owner_id')
            .where('personal_data.phone_hash', '=', context.phoneHash ?? '')
            .where('personal_data.owner_kind', '=', 'case')
            .where('personal_data.role', '=', 'reporter'),
        ),
      );
    }
    return eb.and(and);
  };
}
