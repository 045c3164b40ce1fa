import type { Actor, Role } from '../core/access/roles.ts';
import { isDomainError } from '../core/errors.ts';
import type { ApplyContext, Routing } from '../core/workflow/apply.ts';
import { isAwaitingReportIn, type ActionInput } from '../core/workflow/case-snapshot.ts';
import type { Channel } from '../core/workflow/stages.ts';
import { PastUntil, SYNTHETIC_USER, type CaseRun, type Who } from './demo-case-run.ts';
import { between, chance, pickOne, type Random } from './demo-history-plan.ts';

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

/**
 * How often each turn of a case's life happens (docs/demo.md). The demo uses DEMO_FREQUENCIES;
 * tests raise them so that a few hundred cases meet every path, and every combination of paths.
 */
export interface Frequencies {
  /** A hotline report checked before registration (核实). */
  verify_hotline: number;
  /** A patrol report resolved on the spot. */
  self_resolve: number;
  void: number;
  /** A duplicate merged into an open case of the same category and township. */
  merge: number;
  /** Dispatched against the list. */
  misdispatch: number;
  /** The owner returns the case (a second return in the same life goes to arbitration). */
  return_first: number;
  return_again: number;
  slow_accept: number;
  whistle: number;
  extension: number;
  park: number;
  /** Handled after the deadline (escalated 24 h and 96 h past it). */
  late: number;
  /** Verification fails once: rework. */
  rework: number;
  /** Share of the resident's own cases they rate; of those, "not fixed". */
  rated: number;
  not_fixed: number;
  /** Reopened after "not fixed", and after a rating of 2 or less. */
  reopen_unfixed: number;
  reopen_low_rating: number;
}

export const DEMO_FREQUENCIES: Frequencies = {
  verify_hotline: 0.1,
  self_resolve: 0.35,
  void: 0.025,
  merge: 0.015,
  misdispatch: 0.02,
  return_first: 0.07,
  return_again: 0.25,
  slow_accept: 0.08,
  whistle: 0.03,
  extension: 0.05,
  park: 0.015,
  late: 0.13,
  rework: 0.07,
  rated: 0.75,
  not_fixed: 0.07,
  reopen_unfixed: 0.35,
  reopen_low_rating: 0.2,
};

/** No case of the demo takes this many steps; a life that would is cut short and counted. */
const MAX_STEPS = 80;

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

/** How a life ended: finished (final stage), stopped at `until`, or stuck (no step the workflow allows). */
export type LifeEnd = 'finished' | 'until' | 'stuck';

/** One step the life wants: who does what, when. */
interface Move {
  at: number;
  who: Who;
  input: ActionInput;
  extra?: Pick<ApplyContext, 'routing' | 'limits'>;
}

/** One case's life as the step chooser sees it. */
interface Life {
  run: CaseRun;
  plan: CasePlan;
  ctx: LifeContext;
  random: Random;
  f: Frequencies;
  memory: Memory;
}

/** What a life has decided so far: the one-off turns, drawn once, and what has happened. */
interface Memory {
  intake: 'verify' | 'self_resolve' | 'void' | 'merge' | 'register' | null;
  misdispatch: boolean | null;
  /** Returns since the case was (re)opened, for the "returned twice" frequency. */
  returns: number;
  /** The handling cycle (dispatched_at) the plans below were drawn for. */
  cycle: string | null;
  whistle: boolean;
  extension: boolean;
  park: boolean;
  /** When the owner reports back in this cycle. */
  due: number | null;
  reworked: boolean;
  rating: 'undecided' | 'decided';
  reopened: boolean;
}

/**
 * One case's life, with the frequencies of docs/demo.md. Every step is chosen from the actions
 * the workflow allows that actor on the case at that moment (availableActions, as the API's
 * allowed_actions), by the case's stage and what it has already been through; a step the rules
 * refuse for its input ends the life as 'stuck' rather than breaking the history. Stops quietly
 * at `until`.
 */
export function liveCase(
  run: CaseRun,
  plan: CasePlan,
  ctx: LifeContext,
  random: Random,
  frequencies: Frequencies = DEMO_FREQUENCIES,
): LifeEnd {
  const memory: Memory = {
    intake: null,
    misdispatch: null,
    returns: 0,
    cycle: null,
    whistle: false,
    extension: false,
    park: false,
    due: null,
    reworked: false,
    rating: 'undecided',
    reopened: false,
  };
  try {
    for (let n = 0; n < MAX_STEPS; n++) {
      const move = nextMove({ run, plan, ctx, random, f: frequencies, memory });
      if (move === 'finished') return 'finished';
      if (move === null) return 'stuck';
      run.step(move.at, move.who, move.input, move.extra);
      if (move.input.action === 'return') memory.returns += 1;
      if (move.input.action === 'reopen') memory.returns = 0;
    }
    return 'stuck';
  } catch (error) {
    if (error instanceof PastUntil) return 'until';
    if (isDomainError(error)) return 'stuck';
    throw error;
  }
}

/** The next step, 'finished' when the case is done, null when nothing the workflow allows fits. */
function nextMove(life: Life): Move | 'finished' | null {
  const { run, plan, ctx, random, f, memory } = life;
  const { centre } = ctx;
  const urgent = run.limits?.handling.unit === 'urgent_hours';
  const quick = (low: number, high: number) => run.after(between(random, low, high) * (urgent ? 0.3 : 1));
  /** The move if the workflow allows `who` the action at `at`. */
  const offer = (at: number, who: Who, input: ActionInput, extra?: Move['extra']): Move | undefined =>
    run.allowed(who, Math.max(at, run.t + 60_000)).includes(input.action)
      ? { at, who, input, ...(extra ? { extra } : {}) }
      : undefined;
  const owner = () => ctx.handler(run.row.owner_department_id!);
  const committee = () => ctx.handler(`committee-${plan.community}`);
  /** A county department other than the owner with no open task on the case. */
  const other = (): string | undefined => {
    const busy = new Set(run.tasks.filter((t) => t.status !== 'done').map((t) => t.department_id));
    const free = ctx.departments.filter((d) => d !== run.row.owner_department_id && !busy.has(d));
    return free.length > 0 ? pickOne(random, free) : undefined;
  };
  const routed = (department_id: string | undefined): Routing =>
    department_id === undefined || department_id === plan.routing.department_id
      ? plan.routing
      : { ...plan.routing, department_id, overridden: true, co_handlers: [] };

  switch (run.stage) {
    case 'reported':
    case 'verifying': {
      memory.intake ??=
        plan.channel === 'patrol' && chance(random, f.self_resolve)
          ? 'self_resolve'
          : chance(random, f.void)
            ? 'void'
            : plan.original && chance(random, f.merge)
              ? 'merge'
              : plan.channel === 'hotline' && chance(random, f.verify_hotline)
                ? 'verify'
                : 'register';
      const worker = ctx.gridWorker(plan.grid, plan.community);
      const register = () =>
        offer(quick(0.2, 1.8), centre, { action: 'register' }, { limits: plan.routing.limits ?? undefined });
      switch (memory.intake) {
        case 'self_resolve':
          return (
            offer(run.t + between(random, 5, 40) * 60_000, worker, {
              action: 'self_resolve',
              evidence: ['photo-after.jpg'],
            }) ??
            register() ??
            null
          );
        case 'void': {
          const reason = pickOne(random, ['不属于受理范围', '信息不全，无法核实', '重复咨询，已当场答复']);
          return offer(quick(0.3, 2), centre, { action: 'void', reason }) ?? register() ?? null;
        }
        case 'merge':
          return (
            offer(quick(0.2, 1.5), centre, { action: 'merge', merged_into: plan.original! }) ??
            register() ??
            null
          );
        case 'verify':
          memory.intake = 'register';
          return offer(quick(0.2, 1), centre, { action: 'verify_report' }) ?? register() ?? null;
        default:
          return register() ?? null;
      }
    }
    case 'registered': {
      // After a return the centre sends the case elsewhere; now and then it overrides the list.
      const returned = run.lastAction === 'return';
      memory.misdispatch ??= chance(random, f.misdispatch);
      const department = returned || memory.misdispatch ? other() : undefined;
      const routing = routed(department);
      memory.misdispatch = false;
      const reason = routing.overridden
        ? returned
          ? '原单位回退，改派'
          : '现场情况更适合该单位办理'
        : undefined;
      return (
        offer(
          quick(0.1, returned ? 1.5 : 1),
          centre,
          { action: 'dispatch', ...(reason ? { reason } : {}) },
          { routing },
        ) ?? null
      );
    }
    case 'arbitration':
      return (
        offer(
          quick(2, 12),
          centre,
          { action: 'arbitrate', reason: '经协调，按权责清单由责任单位办理' },
          { routing: plan.routing },
        ) ?? null
      );
    case 'dispatched': {
      const p = memory.returns === 0 ? f.return_first : memory.returns === 1 ? f.return_again : 0;
      if (chance(random, p)) {
        const reason = memory.returns === 0 ? '不属于本单位职责范围' : '职责存在争议';
        const move = offer(quick(0.5, 6), owner(), { action: 'return', reason });
        if (move) return move;
      }
      const slow = chance(random, f.slow_accept);
      return offer(quick(slow ? 8 : 0.2, slow ? 20 : 5), owner(), { action: 'accept' }) ?? null;
    }
    case 'handling':
      return handlingMove(life, { quick, offer, owner, committee, other });
    case 'awaiting_verification': {
      // Co-handlers and summoned units report back before the case can pass.
      for (const task of run.tasks.filter((t) => t.role !== 'lead' && t.status === 'open')) {
        const move = offer(quick(0.5, 6), ctx.handler(task.department_id), {
          action: 'feedback',
          note: '已配合完成相关工作',
        });
        if (move) return move;
      }
      // A grid worker's own fix is checked by the community committee, and passes.
      const onTheSpot = selfResolved(run);
      const verifier = onTheSpot ? committee() : ctx.gridWorker(plan.grid, plan.community);
      if (!onTheSpot && !memory.reworked && chance(random, f.rework)) {
        memory.reworked = true;
        const move = offer(quick(0.5, 6), verifier, { action: 'verify_fail', reason: '现场核查问题仍存在' });
        if (move) return move;
      }
      return offer(quick(0.3, onTheSpot ? 4 : 6), verifier, { action: 'verify_pass' }) ?? null;
    }
    case 'verified':
      return offer(quick(0.2, selfResolved(run) ? 2 : 3), centre, { action: 'close' }) ?? null;
    case 'parked':
      return offer(run.after(between(random, 5, 30), 'work_days'), centre, { action: 'resume' }) ?? null;
    case 'closed':
    case 'closed_unfixed': {
      if (memory.rating === 'undecided') {
        memory.rating = 'decided';
        if (run.allowed(ctx.reporter).includes('rate') && chance(random, f.rated)) {
          const fixed = !chance(random, f.not_fixed);
          const rating = fixed
            ? pickOne(random, [5, 5, 5, 5, 5, 4, 4, 4, 3, 2])
            : pickOne(random, [1, 1, 2, 2, 3]);
          const move = offer(run.t + between(random, 1, 72) * HOUR, ctx.reporter, {
            action: 'rate',
            rating,
            fixed,
          });
          if (move) return move;
        }
      }
      if (!memory.reopened) {
        memory.reopened = true;
        const again =
          run.stage === 'closed_unfixed'
            ? chance(random, f.reopen_unfixed)
            : (run.row.rating ?? 5) <= 2 && chance(random, f.reopen_low_rating);
        if (again) {
          memory.rating = 'undecided';
          memory.cycle = null;
          const move = offer(run.t + between(random, 6, 72) * HOUR, ctx.reporter, {
            action: 'reopen',
            reason: '问题再次出现，申请重新处理',
          });
          if (move) return move;
        }
      }
      return 'finished';
    }
    case 'voided':
    case 'merged':
      return 'finished';
  }
}

const selfResolved = (run: CaseRun) => run.events.some((e) => e.action === 'self_resolve');

interface Tools {
  quick(low: number, high: number): number;
  offer(at: number, who: Who, input: ActionInput): Move | undefined;
  owner(): Who;
  committee(): Who;
  other(): string | undefined;
}

/**
 * In handling: summoned units report in, a pending extension is approved, then the turns drawn for
 * this cycle (a whistle, an extension request, parking), escalation of late work, the co-handlers'
 * feedback, and last the owner's.
 */
function handlingMove(life: Life, { quick, offer, owner, committee, other }: Tools): Move | null {
  const { run, ctx, random, f, memory } = life;
  const { centre } = ctx;
  if (memory.cycle !== run.row.dispatched_at) {
    memory.cycle = run.row.dispatched_at;
    memory.whistle = chance(random, f.whistle);
    memory.extension = chance(random, f.extension);
    memory.park = chance(random, f.park);
    memory.due = null;
  }
  for (const task of run.tasks.filter((t) => isAwaitingReportIn(t))) {
    const move = offer(run.t + between(random, 0.3, 3.5) * HOUR, ctx.handler(task.department_id), {
      action: 'report_in',
    });
    if (move) return move;
  }
  if (run.row.pending_extension !== null) {
    const move = offer(quick(0.5, 6), centre, { action: 'approve_extension' });
    if (move) return move;
  }
  if (memory.whistle) {
    memory.whistle = false;
    const summoned = other();
    const move =
      summoned === undefined
        ? undefined
        : offer(quick(0.5, 4), committee(), {
            action: 'whistle',
            departments: [summoned],
            reason: '需多部门联合处置',
          });
    if (move) return move;
  }
  if (memory.extension) {
    memory.extension = false;
    const move = offer(quick(2, 16), owner(), {
      action: 'request_extension',
      days: 3,
      reason: '需协调第三方施工',
    });
    if (move) return move;
  }
  if (memory.park) {
    memory.park = false;
    const move = offer(quick(2, 20), centre, { action: 'park', reason: '需纳入年度改造计划，暂缓处置' });
    if (move) return move;
  }

  const reworking = run.lastAction === 'verify_fail';
  const start = new Date(run.row.dispatched_at!).getTime();
  const deadline = new Date(run.row.handling_deadline!).getTime();
  if (memory.due === null || reworking) {
    if (reworking) {
      memory.due = quick(4, 24);
    } else {
      const late = chance(random, f.late);
      const share = late ? between(random, 1.05, 2.2) : between(random, 0.15, 0.95);
      const due = Math.max(run.t + 30 * 60_000, start + share * (deadline - start));
      memory.due = run.limits?.handling.unit === 'urgent_hours' ? due : run.atWork(due);
    }
  }
  const feedbackAt = memory.due;
  for (const [n, wait] of [
    [1, 24 * HOUR],
    [2, 96 * HOUR],
  ] as const) {
    if (feedbackAt > deadline + wait && run.row.escalation_level < n) {
      const move = offer(deadline + wait, centre, { action: 'escalate', reason: '超期未办结，提级督办' });
      if (move) return move;
    }
  }
  for (const task of run.tasks.filter((t) => t.role !== 'lead' && t.status === 'open')) {
    const move = offer(Math.min(feedbackAt - 60_000, quick(1, 12)), ctx.handler(task.department_id), {
      action: 'feedback',
      note: '已配合完成相关工作',
    });
    if (move) return move;
  }
  const evidence = run.events.some((e) => e.action === 'verify_fail')
    ? 'photo-rework.jpg'
    : 'photo-after.jpg';
  return (
    offer(feedbackAt, owner(), {
      action: 'feedback',
      evidence: [evidence],
      note: evidence === 'photo-rework.jpg' ? '已返工' : '已处置完毕',
    }) ?? null
  );
}
