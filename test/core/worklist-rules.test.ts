import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHIPPED_YEARS } from '../../src/calendar/default-years.ts';
import { ROLES } from '../../src/core/access/roles.ts';
import { GRANTS } from '../../src/core/access/permissions.ts';
import { DEFAULT_WEEKEND, DEFAULT_WORK_PERIODS } from '../../src/core/calendar/definition.ts';
import { buildCalendar } from '../../src/core/calendar/work-calendar.ts';
import { stageTime, type StageClock } from '../../src/core/workflow/stage-time.ts';
import { PARTY_ROLES, TRANSITIONS } from '../../src/core/workflow/transitions.ts';
import { QUEUE_ACTIONS, workQueue } from '../../src/core/workflow/work-queue.ts';

const calendar = buildCalendar({
  periods: [...DEFAULT_WORK_PERIODS],
  weekend: [...DEFAULT_WEEKEND],
  years: [...SHIPPED_YEARS],
});
const HOUR = 3_600_000;
// 10 work hours from Monday 2026-03-02 08:30 (China time): due Tuesday 11:30 (sweep.test.ts).
const clock = (now: string, over: Partial<StageClock> = {}): StageClock => ({
  stage_started_at: '2026-03-02T00:30:00.000Z',
  stage_deadline: '2026-03-03T03:30:00.000Z',
  limit: { amount: 10, unit: 'work_hours' },
  now: new Date(now),
  ...over,
});

test('the light is green before half the limit, yellow from half, red from four fifths and overdue', () => {
  // Monday 10:30: 2 of 10 work hours.
  assert.deepEqual(stageTime(calendar, clock('2026-03-02T02:30:00.000Z')), {
    light: 'green',
    used_percent: 20,
    remaining_ms: 8 * HOUR,
  });
  // Monday 15:30: 5 of 10 (lunch, 12:00–14:00, does not count).
  assert.equal(stageTime(calendar, clock('2026-03-02T07:30:00.000Z')).light, 'yellow');
  // Monday evening 20:00: the working day ended at 17:30 with 7 hours used; the night does not count.
  const evening = stageTime(calendar, clock('2026-03-02T12:00:00.000Z'));
  assert.equal(evening.light, 'yellow');
  assert.equal(evening.remaining_ms, 3 * HOUR);
  // Tuesday 09:30: 8 of 10.
  assert.equal(stageTime(calendar, clock('2026-03-03T01:30:00.000Z')).light, 'red');
  // Tuesday 14:30, past the deadline by 1 work hour (11:30–12:00 and 14:00–14:30; lunch does not count).
  const late = stageTime(calendar, clock('2026-03-03T06:30:00.000Z'));
  assert.equal(late.light, 'red');
  assert.equal(late.remaining_ms, -HOUR);
  assert.ok(late.used_percent >= 100);
});

test('paused time counts neither as used nor as left', () => {
  // Parked for 2 work hours: the deadline moved on by them (clocks.ts), and the light looks past them.
  const parked = clock('2026-03-02T07:30:00.000Z', {
    // Tuesday 11:30 + 2 work hours: 12:00, then 14:00–15:30.
    stage_deadline: '2026-03-03T07:30:00.000Z',
    paused_ms: 2 * HOUR,
  });
  const time = stageTime(calendar, parked);
  assert.equal(time.used_percent, 30);
  assert.equal(time.light, 'green');
  assert.equal(time.remaining_ms, 7 * HOUR);
});

test('a queue holds the stages where a role owes a step, each with the party that owes it', () => {
  assert.deepEqual(workQueue(['grid_worker']), [
    { party: 'verifier', stages: ['awaiting_verification'], condition: null },
  ]);
  const department = workQueue(['department_handler']);
  assert.deepEqual(
    department.find((e) => e.party === 'owner')?.stages,
    ['dispatched', 'handling'],
    'once the lead reported back, verification is not the owner’s work',
  );
  assert.ok(department.some((e) => e.party === 'summoned'));
  assert.ok(!department.some((e) => e.party === 'dispatcher'));
  const centre = workQueue(['county_centre']);
  assert.ok(centre.some((e) => e.party === 'centre' && e.stages.includes('arbitration')));
  assert.ok(centre.some((e) => e.condition === 'pending_extension' && e.stages.includes('handling')));
  assert.ok(!centre.some((e) => e.stages.includes('parked')), 'a parked case waits for nobody');
  assert.deepEqual(workQueue(['resident']), []);
});

test('every queue entry is a step the transition table lets that role take', () => {
  for (const role of ROLES) {
    for (const entry of workQueue([role])) {
      assert.ok(PARTY_ROLES[entry.party].includes(role), `${role} plays ${entry.party}`);
      const steps = QUEUE_ACTIONS.filter((a) => {
        const t = TRANSITIONS[a];
        return (
          (t.parties as readonly string[]).includes(entry.party) &&
          (t.permission === null || GRANTS[role].includes(t.permission))
        );
      });
      for (const stage of entry.stages) {
        assert.ok(
          steps.some((a) => (TRANSITIONS[a].from as readonly string[]).includes(stage)),
          `${role} as ${entry.party} has a step in ${stage}`,
        );
      }
    }
  }
});
