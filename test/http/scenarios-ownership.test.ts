import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assignees, BEISHAN, cn, MARKET, rates, Scenario, steps, URBAN } from '../helpers/scenario.ts';

// Who owns a case, over HTTP: a return and a re-dispatch against the list, and a disputed
// ownership (two returns) the command centre arbitrates. Each scenario reports on a day of its
// own, so that the indicators of that day are its case's alone.

let s: Scenario;
before(async () => {
  s = await Scenario.start();
});
after(() => s.close());

test('a returned case goes back to registered with a new dispatch clock and is re-dispatched by hand', async () => {
  s.at('2026-03-02 09:00'); // Monday
  const { id } = await s.report();
  s.at('2026-03-02 09:05');
  await s.act('community.handler', id, { action: 'register' });
  s.at('2026-03-02 09:10');
  let c = await s.act('community.handler', id, { action: 'dispatch' });
  assert.equal(c.owner_department_id, URBAN);
  assert.equal(c.deadlines.handling_deadline, cn('2026-03-09 09:10'));

  s.at('2026-03-02 09:20');
  const missing = await s.post('dept.urban', id, { action: 'return', expected_version: c.version });
  assert.equal(missing.statusCode, 422);
  assert.equal(missing.json().error.code, 'case.reason_required');
  c = await s.act('dept.urban', id, { action: 'return', reason: '占道经营不属于城管职责' });
  assert.equal(c.status, 'registered');
  assert.equal(c.owner_department_id, null);
  assert.equal(c.counts.returns, 1);
  // A new dispatch clock (1 work hour) runs from the return; the handling deadline is gone.
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-02 09:20'),
    stage_deadline: cn('2026-03-02 10:20'),
    handling_deadline: null,
    next_check_at: cn('2026-03-02 09:50'),
    paused_ms: 0,
  });
  assert.deepEqual(assignees(c), [`${URBAN} lead done`, `${BEISHAN} co done`]);

  s.at('2026-03-02 09:40');
  const unexplained = await s.post('community.handler', id, {
    action: 'dispatch',
    department_id: MARKET,
    expected_version: c.version,
  });
  assert.equal(unexplained.statusCode, 422, 'overriding the list needs a reason');
  assert.equal(unexplained.json().error.code, 'case.reason_required');
  c = await s.act('community.handler', id, {
    action: 'dispatch',
    department_id: MARKET,
    reason: '涉及经营行为',
  });
  assert.equal(c.status, 'dispatched');
  assert.equal(c.owner_department_id, MARKET);
  assert.equal(c.responsibility.dispatch_overridden, true);
  // A fresh handling clock from 09:40; half its 35 work hours runs out Wednesday 15:10.
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-02 09:40'),
    stage_deadline: cn('2026-03-09 09:40'),
    handling_deadline: cn('2026-03-09 09:40'),
    next_check_at: cn('2026-03-04 15:10'),
    paused_ms: 0,
  });
  assert.deepEqual(assignees(c), [
    `${URBAN} lead done`,
    `${BEISHAN} co done`,
    `${MARKET} lead open`,
    `${BEISHAN} co open`,
  ]);

  s.at('2026-03-02 10:00');
  await s.act('dept.market', id, { action: 'accept' });
  s.at('2026-03-03 10:00');
  c = await s.act('dept.market', id, { action: 'feedback', evidence: ['cleared.jpg'] });
  assert.equal(c.deadlines.stage_deadline, cn('2026-03-04 10:00'));
  s.at('2026-03-03 10:30');
  await s.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
  s.at('2026-03-04 09:00');
  await s.act('grid.worker', id, { action: 'verify_pass' });
  s.at('2026-03-04 09:30');
  c = await s.act('community.handler', id, { action: 'close' });
  assert.equal(c.status, 'closed');
  assert.deepEqual(steps(c), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'return→registered',
    'dispatch→dispatched',
    'accept→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
  ]);

  const ind = await s.indicators('2026-03-02', {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 0, // returned once, and re-routed against the list
    should_handle: 1,
    handled: 1,
    handled_on_time: 1,
    should_close: 1,
    closed: 1,
    closed_on_time: 1,
    handling_ms: (24 * 60 + 20) * 60_000, // from the last dispatch, Monday 09:40 → Tuesday 10:00
    responded_in_time: 1,
  });
  assert.equal(ind.indicators.dispatch_accuracy.value, 0);
  assert.equal(ind.indicators.on_time_handling_rate.value, 1);
});

test('a case two departments return goes to arbitration; the county centre names the owner', async () => {
  s.at('2026-03-03 09:00'); // Tuesday
  const { id } = await s.report();
  await s.act('county.center', id, { action: 'register' });
  s.at('2026-03-03 09:10');
  await s.act('county.center', id, { action: 'dispatch' });
  s.at('2026-03-03 09:30');
  await s.act('dept.urban', id, { action: 'return', reason: '不属于城管职责' });
  s.at('2026-03-03 09:40');
  await s.act('county.center', id, { action: 'dispatch', department_id: MARKET, reason: '涉及经营行为' });
  s.at('2026-03-03 10:00');
  let c = await s.act('dept.market', id, { action: 'return', reason: '不属于市场监管职责' });
  assert.equal(c.status, 'arbitration');
  assert.equal(c.counts.returns, 2);
  // Arbitration runs the dispatch clock: 1 work hour from the second return.
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-03 10:00'),
    stage_deadline: cn('2026-03-03 11:00'),
    handling_deadline: null,
    next_check_at: cn('2026-03-03 10:30'),
    paused_ms: 0,
  });

  s.at('2026-03-03 10:30');
  const byCommunity = await s.post('community.handler', id, {
    action: 'arbitrate',
    department_id: URBAN,
    reason: '由城管负责',
    expected_version: c.version,
  });
  assert.equal(byCommunity.statusCode, 403, 'only a command centre arbitrates');
  assert.equal(byCommunity.json().error.code, 'access.role_forbidden');
  const nobody = await s.post('county.center', id, {
    action: 'arbitrate',
    reason: '由城管负责',
    expected_version: c.version,
  });
  assert.equal(nobody.statusCode, 422);
  assert.equal(nobody.json().error.code, 'case.field_required');
  c = await s.act('county.center', id, {
    action: 'arbitrate',
    department_id: URBAN,
    reason: '依据权责清单由城管负责',
  });
  assert.equal(c.status, 'dispatched');
  assert.equal(c.owner_department_id, URBAN);
  assert.equal(c.responsibility.dispatch_overridden, false, 'the list names 城管');
  const entry = c.responsibility.entry;
  assert.equal(entry.id, c.responsibility.entry_id, 'the case page shows the entry it was routed by');
  assert.ok(c.category.startsWith(entry.category_code), 'the entry of the category or of a parent');
  assert.ok(entry.legal_basis.law.length > 0, 'with its legal basis');
  assert.deepEqual(Object.keys(entry.limits).sort(), [
    'dispatch',
    'handling',
    'registration',
    'verification',
  ]);
  assert.ok(entry.lead && Array.isArray(entry.co_handlers), 'its lead and co-handlers');
  // Half of 35 work hours from Tuesday 10:30: Tue 5, Wed 7, Thu 3.5 + 2 → Thursday 16:00.
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-03 10:30'),
    stage_deadline: cn('2026-03-10 10:30'),
    handling_deadline: cn('2026-03-10 10:30'),
    next_check_at: cn('2026-03-05 16:00'),
    paused_ms: 0,
  });
  assert.deepEqual(assignees(c), [
    `${URBAN} lead done`,
    `${BEISHAN} co done`,
    `${MARKET} lead done`,
    `${BEISHAN} co done`,
    `${URBAN} lead open`,
    `${BEISHAN} co open`,
  ]);

  s.at('2026-03-03 11:00');
  await s.act('dept.urban', id, { action: 'accept' });
  s.at('2026-03-04 15:00');
  await s.act('dept.urban', id, { action: 'feedback', evidence: ['after.jpg'] });
  s.at('2026-03-04 15:30');
  await s.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
  s.at('2026-03-05 09:00');
  await s.act('grid.worker', id, { action: 'verify_pass' });
  s.at('2026-03-05 09:30');
  await s.act('county.center', id, { action: 'close' });
  s.at('2026-03-05 10:00');
  c = await s.act('resident', id, { action: 'rate', rating: 5, fixed: true });
  assert.deepEqual(steps(c), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'return→registered',
    'dispatch→dispatched',
    'return→arbitration',
    'arbitrate→dispatched',
    'accept→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
    'rate→closed',
  ]);
  assert.equal(c.timeline[6].reason, '依据权责清单由城管负责');

  const ind = await s.indicators('2026-03-03', {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 0,
    should_handle: 1,
    handled: 1,
    handled_on_time: 1,
    should_close: 1,
    closed: 1,
    closed_on_time: 1,
    handling_ms: 28.5 * 3_600_000, // from the arbitration, Tuesday 10:30 → Wednesday 15:00
    responded_in_time: 1,
    verdict: 1,
    resolved: 1,
    rated: 1,
    satisfied: 1,
  });
  assert.deepEqual(rates(ind), {
    registration_rate: 1,
    dispatch_accuracy: 0,
    handling_rate: 1,
    on_time_handling_rate: 1,
    closure_rate: 1,
    on_time_closure_rate: 1,
    rework_rate: 0,
    avg_handling_hours: 28.5,
    response_rate: 1,
    resolution_rate: 1,
    satisfaction_rate: 1,
  });
});
