import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { decide, GRANTS, isDepartmentBound } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { normalizeRegionCode, subtreeRange } from '../core/regions/codes.ts';
import { CLOCK_OF } from '../core/workflow/clocks.ts';
import { STAGES, type Stage } from '../core/workflow/stages.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { Database, DbOrTx } from '../db/schema.ts';
import { findActorUnit, reporterView } from './case-rows.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../core/paging.ts';

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
  /** At most MAX_PAGE; 50 by default. */
  limit?: number;
  /** Where the previous page stopped (its next_cursor); wins over offset. */
  cursor?: string;
  offset?: number;
}

/** Stages whose clock runs: parked (paused) and final stages are never overdue. */
const CLOCKED_STAGES = STAGES.filter((s) => CLOCK_OF[s] !== null);

type Where = ExpressionBuilder<Database, 'cases'>;

interface Cursor {
  reported_at: string;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.reported_at, c.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const [reported_at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof reported_at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(reported_at))) {
      return { reported_at, id };
    }
  } catch {
    // falls through to the refusal
  }
  throw new DomainError('request.invalid', { issues: 'cursor: not a cursor of this list' });
}

/**
 * The cases the actor may read, as SQL: one condition per role that grants case.read (its scope
 * subtree, narrowed to its department's cases where the permission is department-bound, as
 * decide() does row by row), plus the cases the actor reported.
 */
function readableBy(actor: Actor, unit: string | null) {
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
                .select('case_tasks.id')
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

function matching(filters: CaseFilters, now: Date) {
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
    if (filters.from) and.push(eb('cases.reported_at', '>=', new Date(filters.from).toISOString()));
    if (filters.to) and.push(eb('cases.reported_at', '<', new Date(filters.to).toISOString()));
    if (filters.owner_department) and.push(eb('cases.owner_department_id', '=', filters.owner_department));
    return eb.and(and);
  };
}

/**
 * One page of the cases the actor may read, newest report first, with the total that match.
 * Residents see only what they reported; department handlers only their department's cases. The
 * reporter's name and phone are masked unless the actor may read personal data of that case.
 *
 * ```ts
 * await listCases({ db, clock }, actor, { region: '330106002', status: ['handling'], limit: 20 })
 * // → { items: [...], total: 37, next_cursor: 'WyIyMDI2…' }
 * ```
 */
export async function listCases(deps: { db: DbOrTx; clock: Clock }, actor: Actor, filters: CaseFilters) {
  const limit = Math.min(Math.max(filters.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
  const unit = await findActorUnit(deps.db, actor);
  const scope = readableBy(actor, unit);
  const filter = matching(filters, deps.clock.now());
  const base = deps.db.selectFrom('cases').where((eb) => eb.and([scope(eb), filter(eb)]));

  // Plans: a region filter or a scope below the province walks cases_region_idx (region_code,
  // reported_at) as a range; a department handler's cases come from cases_owner_idx
  // (owner_department_id, stage), the task branch from case_tasks_case_idx. Sorting a region's
  // matches by reported_at stays in the index order of each region code.
  const totalRow = await base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
  let page = base;
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    const at = new Date(c.reported_at).toISOString();
    page = page.where((eb) =>
      eb.or([
        eb('cases.reported_at', '<', at),
        eb.and([eb('cases.reported_at', '=', at), eb('cases.id', '<', c.id)]),
      ]),
    );
  }
  const rows = await page
    .select([
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
      'cases.reporter_name',
      'cases.reporter_phone',
      'cases.reporter_user_id',
      'cases.anonymous',
      'cases.owner_department_id',
      'cases.escalation_level',
      'cases.stage_deadline',
      'cases.handling_deadline',
      'cases.reported_at',
      'cases.closed_at',
    ])
    .select((eb) =>
      unit === null
        ? sql<number>`0`.as('has_task')
        : eb
            .case()
            .when(
              eb.exists(
                eb
                  .selectFrom('case_tasks')
                  .select('case_tasks.id')
                  .whereRef('case_tasks.case_id', '=', 'cases.id')
                  .where('case_tasks.department_id', '=', unit),
              ),
            )
            .then(1)
            .else(0)
            .end()
            .as('has_task'),
    )
    .orderBy('cases.reported_at', 'desc')
    .orderBy('cases.id', 'desc')
    .limit(limit + 1)
    .offset(filters.cursor ? 0 : (filters.offset ?? 0))
    .execute();

  const now = deps.clock.now().getTime();
  const items = rows.slice(0, limit).map((row) => {
    const involved = unit !== null && (row.owner_department_id === unit || Number(row.has_task) === 1);
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
      reporter: reporterView(row, personal),
      owner_department_id: row.owner_department_id,
      escalation_level: row.escalation_level,
      stage_deadline: deadline,
      handling_deadline: row.handling_deadline === null ? null : readTimestamp(row.handling_deadline),
      overdue: CLOCK_OF[stage] !== null && deadline !== null && new Date(deadline).getTime() < now,
      reported_at: readTimestamp(row.reported_at),
      closed_at: row.closed_at === null ? null : readTimestamp(row.closed_at),
    };
  });
  const last = items.at(-1);
  return {
    items,
    total: Number(totalRow?.n ?? 0),
    next_cursor:
      rows.length > limit && last ? encodeCursor({ reported_at: last.reported_at, id: last.id }) : null,
  };
}
