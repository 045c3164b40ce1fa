import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHIPPED_YEARS } from '../../src/calendar/default-years.ts';
import { DEFAULT_WEEKEND, DEFAULT_WORK_PERIODS } from '../../src/core/calendar/definition.ts';
import { buildCalendar } from '../../src/core/calendar/work-calendar.ts';
import type { Actor, Role } from '../../src/core/access/roles.ts';
import { DomainError } from '../../src/core/errors.ts';
import { applyAction, type ApplyContext } from '../../src/core/workflow/apply.ts';
import type { ActionInput, CaseSnapshot, CaseTask } from '../../src/core/workflow/case-snapshot.ts';
import { availableActions } from '../../src/core/workflow/parties.ts';
import { STAGES, type Stage } from '../../src/core/workflow/stages.ts';
import {
  ACTION_NAMES,
  TRANSITIONS,
  type ActionName,
  type Party,
} from '../../src/core/workflow/transitions.ts';

const calendar = buildCalendar({
  periods: [...DEFAULT_WORK_PERIODS],
  weekend: [...DEFAULT_WEEKEND],
  years: [...SHIPPED_YEARS],
});
const now = new Date('2026-03-03T02:00:00Z'); // Tuesday 10:00 in Hangzhou

function actor(
  username: string,
  roles: Role[],
  department_id: string | null = null,
  user_id = `u-${username}`,
): Actor {
  return { user_id, username, roles, scope: { code: '330106000000', level: 'county' }, department_id };
}
const PLAYERS: Record<Party, Actor> = {
  dispatcher: actor('county.center', ['county_centre']),
  centre: actor('county.center', ['county_centre']),
  owner: actor('dept.a', ['department_handler'], 'dept-a'),
  task_holder: actor('dept.b', ['department_handler'], 'dept-b'),
  summoned: actor('dept.c', ['department_handler'], 'dept-c'),
  verifier: actor('grid.worker', ['grid_worker']),
  reporter: actor('resident', ['resident'], null, 'u-resident'),
  grid_worker: actor('grid.worker', ['grid_worker']),
  whistler: actor('township.handler', ['township_handler']),
};

const task = (
  id: number,
  department_id: string,
  role: CaseTask['role'],
  status: CaseTask['status'],
): CaseTask => ({
  id,
  department_id,
  role,
  status,
  report_in_deadline: '2026-03-03T04:00:00Z',
  deadline: '2026-03-10T02:00:00Z',
  reported_in_at: null,
  done_at: null,
});

/** A case in `stage` with everything an action might look for: an owner, tasks, a pending request. */
function makeSnapshot(stage: Stage, action: ActionName): CaseSnapshot {
  const tasksDone = action === 'verify_pass' || action === 'close';
  return {
    id: 'case-1',
    stage,
    stage_before_park: stage === 'parked' ? 'handling' : null,
    version: 7,
    region_code: '330106002051',
    reporter_user_id: 'u-resident',
    owner_department_id: 'dept-a',
    limits: null,
    return_count: 0,
    rework_count: 0,
    extension_count: 0,
    escalation_level: 0,
    stage_started_at: '2026-03-02T02:00:00Z',
    stage_deadline: '2026-03-09T02:00:00Z',
    handling_deadline: '2026-03-09T02:00:00Z',
    paused_ms: 0,
    clock_paused_ms: 0,
    parked_at: stage === 'parked' ? '2026-03-02T06:00:00Z' : null,
    pending_extension: { days: 2, reason: '需要采购设备', requested_by: 'dept.a' },
    registered_at: '2026-03-02T02:00:00Z',
    closed_at: '2026-03-02T08:00:00Z',
    rated_at: null,
    tasks: tasksDone
      ? [task(1, 'dept-a', 'lead', 'done'), task(2, 'dept-b', 'co', 'done')]
      : [
          task(1, 'dept-a', 'lead', 'open'),
          task(2, 'dept-b', 'co', 'open'),
          task(3, 'dept-c', 'summoned', 'awaiting_report_in'),
        ],
  };
}

const INPUT: Omit<ActionInput, 'action'> = {
  reason: '理由',
  evidence: ['photo-1.jpg'],
  rating: 4,
  fixed: true,
  departments: ['dept-d'],
  merged_into: 'case-0',
  days: 2,
  department_id: 'dept-a',
};

function contextFor(party: Party): ApplyContext {
  const units: Partial<Record<Party, string>> = {
    owner: 'dept-a',
    task_holder: 'dept-b',
    summoned: 'dept-c',
  };
  return {
    now,
    calendar,
    unit: units[party] ?? null,
    routing: {
      department_id: 'dept-a',
      overridden: false,
      list: { id: 'l', version: 1 },
      entry_id: 'e',
      limits: null,
      co_handlers: ['dept-b'],
    },
  };
}

function partyFor(stage: Stage, action: ActionName): Party {
  // In 待核查 the lead has fed back already; a co-handler still finishing its task acts.
  if (action === 'feedback' && stage === 'awaiting_verification') return 'task_holder';
  return TRANSITIONS[action].parties[0] as Party;
}

for (const stage of STAGES) {
  for (const action of ACTION_NAMES) {
    const legal = (TRANSITIONS[action].from as readonly Stage[]).includes(stage);
    test(`${action} in ${stage} is ${legal ? 'allowed' : 'refused with case.invalid_transition'}`, () => {
      const party = partyFor(stage, action);
      const snapshot = makeSnapshot(stage, action);
      const before = structuredClone(snapshot);
      const input = { action, ...INPUT };
      if (legal) {
        const outcome = applyAction(snapshot, PLAYERS[party], input, contextFor(party));
        assert.equal(outcome.changes.version, 8);
        assert.equal(outcome.event.version, 8);
        assert.equal(outcome.event.from_stage, stage);
        assert.equal(outcome.event.to_stage, outcome.changes.stage);
        const to = TRANSITIONS[action].to;
        if (to === 'same') assert.ok([stage, 'closed_unfixed'].includes(outcome.changes.stage));
        else if (to === 'previous') assert.equal(outcome.changes.stage, 'handling');
        else if (!(action === 'feedback' && party === 'task_holder')) assert.equal(outcome.changes.stage, to);
      } else {
        assert.throws(
          () => applyAction(snapshot, PLAYERS[party], input, contextFor(party)),
          (e: unknown) =>
            e instanceof DomainError &&
            e.code === 'case.invalid_transition' &&
            e.details.action === action &&
            e.details.stage === stage,
        );
      }
      assert.deepEqual(snapshot, before, 'the snapshot is never modified');
    });
  }
}

test('an actor who plays none of the parties is refused, whatever the stage allows', () => {
  const resident = PLAYERS.reporter;
  assert.throws(
    () =>
      applyAction(
        makeSnapshot('reported', 'register'),
        resident,
        { action: 'register' },
        contextFor('reporter'),
      ),
    (e: unknown) => e instanceof DomainError && e.code === 'case.invalid_transition',
  );
  const otherDept = actor('dept.x', ['department_handler'], 'dept-x');
  assert.throws(
    () =>
      applyAction(
        makeSnapshot('dispatched', 'accept'),
        otherDept,
        { action: 'accept' },
        { now, calendar, unit: 'dept-x' },
      ),
    (e: unknown) => e instanceof DomainError && e.code === 'case.invalid_transition',
  );
});

test('a return, a void and a feedback need their reason or evidence', () => {
  const owner = PLAYERS.owner;
  assert.throws(
    () =>
      applyAction(
        makeSnapshot('dispatched', 'return'),
        owner,
        { action: 'return', reason: ' ' },
        contextFor('owner'),
      ),
    (e: unknown) => e instanceof DomainError && e.code === 'case.reason_required',
  );
  assert.throws(
    () =>
      applyAction(makeSnapshot('handling', 'feedback'), owner, { action: 'feedback' }, contextFor('owner')),
    (e: unknown) => e instanceof DomainError && e.code === 'case.evidence_required',
  );
  assert.throws(
    () =>
      applyAction(
        makeSnapshot('closed', 'rate'),
        PLAYERS.reporter,
        { action: 'rate', rating: 6, fixed: true },
        contextFor('reporter'),
      ),
    (e: unknown) => e instanceof DomainError && e.code === 'case.invalid_rating',
  );
});

test('a case returned twice goes to the command centre for arbitration', () => {
  const once = { ...makeSnapshot('dispatched', 'return'), return_count: 1 };
  const outcome = applyAction(
    once,
    PLAYERS.owner,
    { action: 'return', reason: '不属于本部门职责' },
    contextFor('owner'),
  );
  assert.equal(outcome.changes.stage, 'arbitration');
  assert.equal(outcome.changes.return_count, 2);
});

test('a failed verification sends the case back to handling without resetting its handling deadline', () => {
  const snapshot = {
    ...makeSnapshot('awaiting_verification', 'verify_fail'),
    stage_deadline: '2026-03-04T02:00:00Z',
  };
  const outcome = applyAction(
    snapshot,
    PLAYERS.verifier,
    { action: 'verify_fail', reason: '仍有垃圾' },
    contextFor('verifier'),
  );
  assert.equal(outcome.changes.stage, 'handling');
  assert.equal(outcome.changes.rework_count, 1);
  assert.equal(outcome.changes.stage_deadline, new Date(snapshot.handling_deadline!).toISOString());
});

test('the reporter may reopen within the window, not after it', () => {
  const closed = makeSnapshot('closed', 'reopen');
  const late = { ...contextFor('reporter'), now: new Date('2026-03-20T00:00:00Z') };
  assert.throws(
    () => applyAction(closed, PLAYERS.reporter, { action: 'reopen', reason: '又堆了' }, late),
    (e: unknown) =>
      e instanceof DomainError && e.code === 'case.invalid_transition' && e.details.rule === 'reopen_window',
  );
  const outcome = applyAction(
    closed,
    PLAYERS.reporter,
    { action: 'reopen', reason: '又堆了' },
    contextFor('reporter'),
  );
  assert.equal(outcome.changes.stage, 'registered');
});

test('allowed actions follow the table and the party: the owner of a dispatched case may accept, return or escalate', () => {
  const snapshot = makeSnapshot('dispatched', 'accept');
  assert.deepEqual(availableActions(snapshot, PLAYERS.owner, 'dept-a'), ['accept', 'return', 'escalate']);
  assert.deepEqual(availableActions(snapshot, PLAYERS.reporter, null), []);
});

test('allowed actions leave out what the case’s state refuses, so that no step offered is refused', () => {
  const awaiting = makeSnapshot('awaiting_verification', 'feedback');
  // The co-handler and the summoned department are not done: verification must wait for them.
  assert.ok(!availableActions(awaiting, PLAYERS.verifier, null).includes('verify_pass'));
  assert.throws(
    () => applyAction(awaiting, PLAYERS.verifier, { action: 'verify_pass' }, contextFor('verifier')),
    (e: unknown) => e instanceof DomainError && e.details.rule === 'tasks_open',
  );
  const done = makeSnapshot('awaiting_verification', 'verify_pass');
  assert.ok(availableActions(done, PLAYERS.verifier, null).includes('verify_pass'));

  const handling = { ...makeSnapshot('handling', 'approve_extension'), pending_extension: null };
  assert.ok(!availableActions(handling, PLAYERS.centre, null).includes('approve_extension'));
  const top = { ...makeSnapshot('handling', 'escalate'), escalation_level: 2 };
  assert.ok(!availableActions(top, PLAYERS.centre, null).includes('escalate'));
  const rated = { ...makeSnapshot('closed', 'rate'), rated_at: '2026-03-02T09:00:00Z' };
  assert.ok(!availableActions(rated, PLAYERS.reporter, null).includes('rate'));

  // The reopen window is judged only when the caller says what time it is.
  const closed = makeSnapshot('closed', 'reopen');
  assert.ok(availableActions(closed, PLAYERS.reporter, null).includes('reopen'));
  assert.ok(availableActions(closed, PLAYERS.reporter, null, { now }).includes('reopen'));
  const late = { now: new Date('2026-03-20T00:00:00Z') };
  assert.ok(!availableActions(closed, PLAYERS.reporter, null, late).includes('reopen'));
});

test('every action allowed in any stage to any party is one applyAction performs', () => {
  for (const stage of STAGES) {
    for (const action of ACTION_NAMES) {
      const snapshot = makeSnapshot(stage, action);
      for (const party of TRANSITIONS[action].parties as readonly Party[]) {
        const ctx = contextFor(party);
        if (!availableActions(snapshot, PLAYERS[party], ctx.unit, { now }).includes(action)) continue;
        assert.doesNotThrow(
          () => applyAction(snapshot, PLAYERS[party], { action, ...INPUT }, ctx),
          `${action} by ${party} in ${stage}`,
        );
      }
    }
  }
});
