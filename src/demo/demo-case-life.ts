import type { Actor, Role } from '../core/access/roles.ts';
import type { Routing } from '../core/workflow/apply.ts';
import type { Channel } from '../core/workflow/stages.ts';
import type { ActorUnit } from '../core/workflow/parties.ts';
import { PastUntil, SYNTHETIC_USER, type CaseRun } from './demo-case-run.ts';
import { between, chance, pickOne, type Random } from './demo-history-plan.ts';

type Who = { actor: Actor; unit: ActorUnit };
const HOUR = 3_600_000;

/** The people and routing a simulated case needs, set up once per history. */
export interface LifeContext {
  centre: Who;
  reporter: Who;
  /** Department handlers, township and community handlers acting for a unit. */
  handler(unit: string): Who;
  gridWorker(grid: string | null, community: string): Who;
  /** County line departments: other owners for re-routing, units to summon. */
  departments: readonly string[];
}

export interface CasePlan {
  channel: Channel;
  routing: Routing;
  community: string;
  grid: string | null;
  /** An earlier case of the same category still open, to merge a duplicate into. */
  original: string | null;
}

const scopeOf = (code: string) => ({ code, level: 'county' as const });

/** A synthetic actor of the unit, in the role its kind of unit plays. */
export function unitActor(unit: string, county: string): Who {
  const role: Role = unit.startsWith('office-')
    ? 'township_handler'
    : unit.startsWith('committee-')
      ? 'community_handler'
      : 'department_handler';
  const actor: Actor = {
    user_id: `${SYNTHETIC_USER}${unit}`,
    username: `handler.${unit}`,
    roles: [role],
    scope: scopeOf(county),
    department_id: role === 'department_handler' ? unit : null,
  };
  return { actor, unit };
}

/**
 * One case's life, with the frequencies of docs/demo.md: intake decisions, dispatch by the list,
 * returns and arbitration, whistles, extensions, parking, escalation of overdue work, rework,
 * closure, the resident's rating and the odd reopening. Stops quietly at `until`.
 */
export function liveCase(run: CaseRun, plan: CasePlan, ctx: LifeContext, random: Random): void {
  try {
    live(run, plan, ctx, random);
  } catch (error) {
    if (!(error instanceof PastUntil)) throw error;
  }
}

function live(run: CaseRun, plan: CasePlan, ctx: LifeContext, random: Random): void {
  const { centre } = ctx;
  const urgent = plan.routing.limits?.handling.unit === 'urgent_hours';
  const quick = (low: number, high: number) => run.after(between(random, low, high) * (urgent ? 0.3 : 1));

  if (plan.channel === 'hotline' && chance(random, 0.1)) {
    run.step(quick(0.2, 1), centre, { action: 'verify_report' });
  }
  if (plan.channel === 'patrol' && chance(random, 0.35)) {
    const worker = ctx.gridWorker(plan.grid, plan.community);
    run.step(run.t + between(random, 5, 40) * 60_000, worker, {
      action: 'self_resolve',
      evidence: ['photo-after.jpg'],
    });
    run.step(quick(0.3, 4), ctx.handler(`committee-${plan.community}`), { action: 'verify_pass' });
    run.step(quick(0.2, 2), centre, { action: 'close' });
    return;
  }
  if (chance(random, 0.025)) {
    const reason = pickOne(random, ['不属于受理范围', '信息不全，无法核实', '重复咨询，已当场答复']);
    run.step(quick(0.3, 2), centre, { action: 'void', reason });
    return;
  }
  if (plan.original && chance(random, 0.015)) {
    run.step(quick(0.2, 1.5), centre, { action: 'merge', merged_into: plan.original });
    return;
  }
  run.step(quick(0.2, 1.8), centre, { action: 'register' }, { limits: plan.routing.limits ?? undefined });
  handle(run, plan, ctx, random, quick);
  rate(run, ctx, random);
  if (
    run.stage === 'closed_unfixed' ? chance(random, 0.35) : (run.row.rating ?? 5) <= 2 && chance(random, 0.2)
  ) {
    run.step(run.t + between(random, 6, 72) * HOUR, ctx.reporter, {
      action: 'reopen',
      reason: '问题再次出现，申请重新处理',
    });
    handle(run, plan, ctx, random, quick);
    rate(run, ctx, random);
  }
}

function handle(
  run: CaseRun,
  plan: CasePlan,
  ctx: LifeContext,
  random: Random,
  quick: (low: number, high: number) => number,
): void {
  const { centre } = ctx;
  const listed = plan.routing;
  const other = () => {
    const busy = new Set(run.tasks.filter((t) => t.status !== 'done').map((t) => t.department_id));
    return pickOne(
      random,
      ctx.departments.filter((d) => d !== run.row.owner_department_id && !busy.has(d)),
    );
  };
  const rerouted = (department_id: string): Routing => ({
    ...listed,
    department_id,
    overridden: department_id !== listed.department_id,
    co_handlers: [],
  });
  if (chance(random, 0.02)) {
    run.step(
      quick(0.1, 1),
      centre,
      { action: 'dispatch', reason: '现场情况更适合该单位办理' },
      {
        routing: rerouted(other()),
      },
    );
  } else {
    run.step(quick(0.1, 1), centre, { action: 'dispatch' }, { routing: listed });
  }
  if (chance(random, 0.07)) {
    const owner = ctx.handler(run.row.owner_department_id!);
    run.step(quick(0.5, 6), owner, { action: 'return', reason: '不属于本单位职责范围' });
    run.step(
      quick(0.2, 1.5),
      centre,
      { action: 'dispatch', reason: '原单位回退，改派' },
      {
        routing: rerouted(other()),
      },
    );
    if (chance(random, 0.25)) {
      run.step(quick(0.5, 6), ctx.handler(run.row.owner_department_id!), {
        action: 'return',
        reason: '职责存在争议',
      });
      run.step(
        quick(2, 12),
        centre,
        { action: 'arbitrate', reason: '经协调，按权责清单由责任单位办理' },
        {
          routing: listed,
        },
      );
    }
  }
  const owner = ctx.handler(run.row.owner_department_id!);
  const slow = chance(random, 0.08);
  run.step(quick(slow ? 8 : 0.2, slow ? 20 : 5), owner, { action: 'accept' });

  if (chance(random, 0.03)) {
    const summoned = other();
    run.step(quick(0.5, 4), ctx.handler(`committee-${plan.community}`), {
      action: 'whistle',
      departments: [summoned],
      reason: '需多部门联合处置',
    });
    run.step(run.t + between(random, 0.3, 3.5) * HOUR, ctx.handler(summoned), { action: 'report_in' });
  }
  if (chance(random, 0.05)) {
    run.step(quick(2, 16), owner, { action: 'request_extension', days: 3, reason: '需协调第三方施工' });
    run.step(quick(0.5, 6), centre, { action: 'approve_extension' });
  }
  if (chance(random, 0.015)) {
    run.step(quick(2, 20), centre, { action: 'park', reason: '需纳入年度改造计划，暂缓处置' });
    run.step(run.after(between(random, 5, 30), 'work_days'), centre, { action: 'resume' });
  }

  const start = new Date(run.row.dispatched_at!).getTime();
  const deadline = new Date(run.row.handling_deadline!).getTime();
  const late = chance(random, 0.13);
  const share = late ? between(random, 1.05, 2.2) : between(random, 0.15, 0.95);
  const due = Math.max(run.t + 30 * 60_000, start + share * (deadline - start));
  const feedbackAt = urgentOf(run) ? due : run.atWork(due);
  for (const [n, wait] of [
    [1, 24 * HOUR],
    [2, 96 * HOUR],
  ] as const) {
    if (feedbackAt > deadline + wait && run.row.escalation_level < n) {
      run.step(deadline + wait, centre, { action: 'escalate', reason: '超期未办结，提级督办' });
    }
  }
  for (const task of run.tasks.filter((t) => t.role !== 'lead' && t.status === 'open')) {
    run.step(Math.min(feedbackAt - 60_000, quick(1, 12)), ctx.handler(task.department_id), {
      action: 'feedback',
      note: '已配合完成相关工作',
    });
  }
  run.step(feedbackAt, owner, { action: 'feedback', evidence: ['photo-after.jpg'], note: '已处置完毕' });
  const verifier = ctx.gridWorker(plan.grid, plan.community);
  if (chance(random, 0.07)) {
    run.step(quick(0.5, 6), verifier, { action: 'verify_fail', reason: '现场核查问题仍存在' });
    run.step(quick(4, 24), owner, { action: 'feedback', evidence: ['photo-rework.jpg'], note: '已返工' });
  }
  run.step(quick(0.3, 6), verifier, { action: 'verify_pass' });
  run.step(quick(0.2, 3), centre, { action: 'close' });
}

const urgentOf = (run: CaseRun) => run.row.limits?.handling.unit === 'urgent_hours';

function rate(run: CaseRun, ctx: LifeContext, random: Random): void {
  if (run.row.reporter_user_id === null || !chance(random, 0.75)) return;
  const fixed = !chance(random, 0.07);
  const rating = fixed ? pickOne(random, [5, 5, 5, 5, 5, 4, 4, 4, 3, 2]) : pickOne(random, [1, 1, 2, 2, 3]);
  run.step(run.t + between(random, 1, 72) * HOUR, ctx.reporter, { action: 'rate', rating, fixed });
}
