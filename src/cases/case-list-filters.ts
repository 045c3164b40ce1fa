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
 * decide() does row by row), plus the cases the actor reported.
 */
export function readableBy(actor: Actor, unit: string | null) {
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

/** One pair of the actor's queue as SQL: the stages, and the party's own condition (parties.ts). */
function queuePart(
  eb: Where,
  entry: QueueEntry,
  actor: Actor,
  unit: string | null,
): Expression<SqlBool> | null {
  const and: Expression<SqlBool>[] = [eb('cases.stage', 'in', entry.stages)];
  if (entry.condition === 'pending_extension') and.push(eb('cases.pending_extension', 'is not', null));
  switch (entry.party) {
    case 'owner':
      if (unit === null) return null;
      and.push(eb('cases.owner_department_id', '=', unit));
      break;
    case 'task_holder':
      if (unit === null) return null;
      and.push(taskOf(eb, unit, ['open'], false));
      break;
    case 'summoned':
      if (unit === null) return null;
      and.push(taskOf(eb, unit, ['awaiting_report_in', 'escalated'], true));
      break;
    case 'reporter':
      and.push(eb('cases.reporter_user_id', '=', actor.user_id));
      break;
    default:
      // dispatcher, centre, verifier, grid worker, whistler: the role is the part; scope is the list's.
      break;
  }
  return eb.and(and);
}

/** The cases waiting for a step of the actor: its queue (work-queue.ts) as SQL. */
function queueOf(actor: Actor, unit: string | null) {
  const entries = workQueue(actor.roles);
  return (eb: Where): Expression<SqlBool> => {
    const parts = entries.map((e) => queuePart(eb, e, actor, unit)).filter((p) => p !== null);
    return parts.length > 0 ? eb.or(parts) : eb.lit(false);
  };
}

/** The list's filters as SQL; `now` for the clock filters, the actor and its unit for the queue. */
export function matching(
  filters: CaseFilters,
  context: { now: Date; traits: DialectTraits; actor: Actor; unit: string | null; ftsJoined?: boolean },
) {
  const { now, traits } = context;
  const queue = filters.assigned_to === 'me' ? queueOf(context.actor, context.unit) : null;
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
    return eb.and(and);
  };
}
