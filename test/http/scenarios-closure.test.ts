import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assignees, BEISHAN, cn, rates, Scenario, steps, URBAN } from '../helpers/scenario.ts';

// Whole cases over HTTP, from the report to closure and the resident's word: the timeline, every
// deadline (China time, work periods 08:30–12:00 and 14:00–17:30) and the indicators of the day
// each case was reported on; each scenario reports on a day of its own. SJ0102 (暴露垃圾) in
// 上保社区: 城管 leads, 北山街道 assists; limits 2 work hours to register, 1 to dispatch, 5 working
// days to handle, 1 to verify.

let s: Scenario;
before(async () => {
  s = await Scenario.start();
});
after(() => s.close());

test('a normal case goes to closure and the resident rates it: deadlines at each stage, all rates 1', async () => {
  s.at('2026-03-02 09:00'); // Monday
  const reported = await s.report();
  assert.equal(reported.status, 'reported');
  assert.equal(reported.reference, '330106-20260302-00001');
  assert.equal(reported.grid.code, '33010600205101');
  const { id } = reported;

  s.at('2026-03-02 09:10');
  let c = await s.act('county.center', id, { action: 'register' });
  assert.equal(c.status, 'registered');
  // Dispatch: 1 work hour, checked at its 50 % point.
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-02 09:10'),
    stage_deadline: cn('2026-03-02 10:10'),
    handling_deadline: null,
    next_check_at: cn('2026-03-02 09:40'),
    paused_ms: 0,
  });

  s.at('2026-03-02 09:30');
  c = await s.act('county.center', id, { action: 'dispatch' });
  assert.equal(c.status, 'dispatched');
  assert.equal(c.owner_department_id, URBAN);
  assert.equal(c.responsibility.dispatch_overridden, false);
  // 5 working days from Monday 09:30 is the next Monday 09:30; half of its 35 work hours
  // (6 on Monday, 7 on Tuesday, 4.5 on Wednesday) runs out on Wednesday at 15:00.
  const handling = cn('2026-03-09 09:30');
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-02 09:30'),
    stage_deadline: handling,
    handling_deadline: handling,
    next_check_at: cn('2026-03-04 15:00'),
    paused_ms: 0,
  });
  assert.deepEqual(
    c.assignees.map((a: { department_id: string; role: string; status: string; deadline: string }) => [
      a.department_id,
      a.role,
      a.status,
      a.deadline,
    ]),
    [
      [URBAN, 'lead', 'open', handling],
      [BEISHAN, 'co', 'open', handling],
    ],
  );

  s.at('2026-03-02 10:00');
  c = await s.act('dept.urban', id, { action: 'accept' });
  assert.equal(c.status, 'handling');
  // Accepting keeps the handling deadline; the 50 % point of the 34.5 work hours left.
  assert.equal(c.deadlines.stage_deadline, handling);
  assert.equal(c.deadlines.next_check_at, cn('2026-03-04 15:15'));

  s.at('2026-03-04 15:00'); // Wednesday
  c = await s.act('dept.urban', id, { action: 'feedback', evidence: ['after.jpg'] });
  assert.equal(c.status, 'awaiting_verification');
  // Verification: 1 working day, same clock position on Thursday; half is 2.5 h + 1 h.
  assert.equal(c.deadlines.stage_deadline, cn('2026-03-05 15:00'));
  assert.equal(c.deadlines.next_check_at, cn('2026-03-05 09:30'));
  assert.equal(c.deadlines.handling_deadline, handling);

  s.at('2026-03-04 16:00');
  c = await s.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
  assert.equal(c.status, 'awaiting_verification');
  assert.equal(c.deadlines.stage_deadline, cn('2026-03-05 15:00'), 'a co-handler does not restart it');

  s.at('2026-03-05 09:00');
  c = await s.act('grid.worker', id, { action: 'verify_pass' });
  assert.equal(c.status, 'verified');
  // 核查通过 shares the verification clock: same deadline, new 50 % point (4 work hours left).
  assert.equal(c.deadlines.stage_deadline, cn('2026-03-05 15:00'));
  assert.equal(c.deadlines.next_check_at, cn('2026-03-05 11:00'));

  s.at('2026-03-05 10:00');
  c = await s.act('county.center', id, { action: 'close' });
  assert.equal(c.status, 'closed');
  assert.equal(c.closed_at, cn('2026-03-05 10:00'));
  assert.equal(c.deadlines.stage_deadline, null);
  assert.equal(c.deadlines.next_check_at, null);

  s.at('2026-03-05 11:00');
  c = await s.act('resident', id, { action: 'rate', rating: 5, fixed: true });
  assert.deepEqual(c.rating, { score: 5, fixed: true, at: cn('2026-03-05 11:00') });
  assert.deepEqual(steps(await s.view(id)), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'accept→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
    'rate→closed',
  ]);

  const ind = await s.indicators('2026-03-02', {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 1,
    should_handle: 1,
    handled: 1,
    handled_on_time: 1,
    should_close: 1,
    closed: 1,
    closed_on_time: 1,
    handling_ms: (2 * 24 + 5.5) * 3_600_000, // Monday 09:30 → Wednesday 15:00
    responded_in_time: 1,
    verdict: 1,
    resolved: 1,
    rated: 1,
    satisfied: 1,
  });
  assert.deepEqual(rates(ind), {
    registration_rate: 1,
    dispatch_accuracy: 1,
    handling_rate: 1,
    on_time_handling_rate: 1,
    closure_rate: 1,
    on_time_closure_rate: 1,
    rework_rate: 0,
    avg_handling_hours: 53.5,
    response_rate: 1,
    resolution_rate: 1,
    satisfaction_rate: 1,
  });
});

test('a failed verification sends the case back for rework; the late second feedback makes it late', async () => {
  s.at('2026-03-03 09:00'); // Tuesday
  const { id } = await s.report();
  await s.act('county.center', id, { action: 'register' });
  s.at('2026-03-03 09:15');
  let c = await s.act('county.center', id, { action: 'dispatch' });
  const handling = cn('2026-03-10 09:15'); // 5 working days: the next Tuesday, same time
  assert.equal(c.deadlines.handling_deadline, handling);
  s.at('2026-03-03 09:30');
  await s.act('dept.urban', id, { action: 'accept' });
  s.at('2026-03-05 10:00'); // Thursday
  c = await s.act('dept.urban', id, { action: 'feedback', evidence: ['after.jpg'] });
  assert.equal(c.deadlines.stage_deadline, cn('2026-03-06 10:00'));
  s.at('2026-03-05 10:30');
  await s.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });

  s.at('2026-03-06 09:00'); // Friday
  const missing = await s.post('grid.worker', id, { action: 'verify_fail', expected_version: c.version + 1 });
  assert.equal(missing.statusCode, 422);
  assert.equal(missing.json().error.code, 'case.reason_required');
  c = await s.act('grid.worker', id, { action: 'verify_fail', reason: '现场仍有垃圾' });
  assert.equal(c.status, 'handling');
  assert.equal(c.counts.rework, 1);
  // Rework does not reset the handling deadline; its 50 % point is taken over the 14.25 work
  // hours left (Friday 6.5, Monday 7, Tuesday 0.75): 7 h 7.5 min later is Monday 09:07:30.
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-06 09:00'),
    stage_deadline: handling,
    handling_deadline: handling,
    next_check_at: cn('2026-03-09 09:07:30'),
    paused_ms: 0,
  });
  assert.deepEqual(
    assignees(c),
    [`${URBAN} lead open`, `${BEISHAN} co done`],
    'the lead task opens again, the assisting one stays done',
  );

  s.at('2026-03-10 10:00'); // Tuesday, 45 minutes past the handling deadline
  c = await s.act('dept.urban', id, { action: 'feedback', evidence: ['again.jpg'] });
  assert.equal(c.status, 'awaiting_verification');
  assert.equal(c.deadlines.stage_deadline, cn('2026-03-11 10:00'));
  s.at('2026-03-11 09:00');
  c = await s.act('grid.worker', id, { action: 'verify_pass' });
  assert.equal(c.deadlines.stage_deadline, cn('2026-03-11 10:00'));
  assert.equal(c.deadlines.next_check_at, cn('2026-03-11 09:30'));
  s.at('2026-03-11 09:30');
  c = await s.act('county.center', id, { action: 'close' });
  assert.equal(c.status, 'closed');
  assert.deepEqual(steps(c), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'accept→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_fail→handling',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
  ]);

  const ind = await s.indicators('2026-03-03', {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 1,
    should_handle: 1,
    handled: 1,
    handled_on_time: 0, // the latest feedback counts, and it came after the deadline
    should_close: 1,
    closed: 1,
    closed_on_time: 0,
    reworked: 1,
    handling_ms: (7 * 24 + 0.75) * 3_600_000, // Tuesday 09:15 → next Tuesday 10:00
    responded_in_time: 1,
  });
  assert.equal(ind.indicators.rework_rate.value, 1);
  assert.equal(ind.indicators.on_time_handling_rate.value, 0);
  assert.equal(ind.indicators.on_time_closure_rate.value, 0);
  assert.equal(ind.indicators.closure_rate.value, 1);
  assert.equal(ind.indicators.resolution_rate.value, null, 'no verdict from the resident');
});

test('the resident rates a case not fixed and reopens it within the window; it is handled again', async () => {
  s.at('2026-03-09 09:00'); // Monday
  const { id } = await s.report();
  s.at('2026-03-09 09:10');
  await s.act('county.center', id, { action: 'register' });
  let c = await s.handleToClosure(id, {
    dispatch: '2026-03-09 09:20',
    feedback: '2026-03-09 14:00',
    close: '2026-03-09 15:30',
  });
  assert.equal(c.closed_at, cn('2026-03-09 15:30'));
  assert.equal(c.deadlines.handling_deadline, cn('2026-03-16 09:20'));

  s.at('2026-03-10 09:00');
  c = await s.act('resident', id, { action: 'rate', rating: 2, fixed: false });
  assert.equal(c.status, 'closed_unfixed');
  assert.deepEqual(c.allowed_actions, ['reopen']);
  await s.indicators('2026-03-09', {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 1,
    should_handle: 1,
    handled: 1,
    handled_on_time: 1,
    should_close: 1,
    closed: 1, // 结案未解决 is a closure …
    closed_on_time: 1,
    handling_ms: (4 * 60 + 40) * 60_000, // Monday 09:20 → 14:00
    responded_in_time: 1,
    verdict: 1,
    resolved: 0, // … and never a resolution
    rated: 1,
    satisfied: 0,
  });

  s.at('2026-03-12 09:00'); // three days after closure, within the 7-day window
  const byCentre = await s.post('county.center', id, {
    action: 'reopen',
    reason: '复查',
    expected_version: c.version,
  });
  assert.equal(byCentre.statusCode, 422, 'only the reporter reopens');
  assert.equal(byCentre.json().error.code, 'case.invalid_transition');
  c = await s.act('resident', id, { action: 'reopen', reason: '垃圾又堆起来了' });
  assert.equal(c.status, 'registered');
  assert.equal(c.closed_at, null);
  assert.equal(c.rating, null);
  // Back to dispatch: a new 1-work-hour clock; the old handling deadline is cleared.
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-12 09:00'),
    stage_deadline: cn('2026-03-12 10:00'),
    handling_deadline: null,
    next_check_at: cn('2026-03-12 09:30'),
    paused_ms: 0,
  });

  s.at('2026-03-12 09:30');
  c = await s.act('county.center', id, { action: 'dispatch' });
  // Thursday 09:30 + 5 working days (over the weekend) is the next Thursday 09:30; half of it
  // (Thu 6, Fri 7, Mon 3.5 + 1 work hours) is Monday 15:00.
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-12 09:30'),
    stage_deadline: cn('2026-03-19 09:30'),
    handling_deadline: cn('2026-03-19 09:30'),
    next_check_at: cn('2026-03-16 15:00'),
    paused_ms: 0,
  });
  assert.deepEqual(
    c.assignees.map((a: { role: string; status: string }) => `${a.role} ${a.status}`),
    ['lead done', 'co done', 'lead open', 'co open'],
  );
  s.at('2026-03-12 10:00');
  await s.act('dept.urban', id, { action: 'accept' });
  s.at('2026-03-13 10:00');
  c = await s.act('dept.urban', id, { action: 'feedback', evidence: ['again.jpg'] });
  assert.equal(c.deadlines.stage_deadline, cn('2026-03-16 10:00'), 'Friday + 1 working day is Monday');
  await s.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
  s.at('2026-03-13 11:00');
  await s.act('grid.worker', id, { action: 'verify_pass' });
  await s.act('county.center', id, { action: 'close' });
  s.at('2026-03-16 09:00');
  c = await s.act('resident', id, { action: 'rate', rating: 5, fixed: true });
  assert.equal(c.status, 'closed');

  s.at('2026-03-23 09:00'); // ten days after the second closure
  const late = await s.post('resident', id, {
    action: 'reopen',
    reason: '又有垃圾',
    expected_version: c.version,
  });
  assert.equal(late.statusCode, 422, 'the window has closed');
  assert.equal(late.json().error.code, 'case.invalid_transition');
  assert.deepEqual(steps(await s.view(id)), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'accept→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
    'rate→closed_unfixed',
    'reopen→registered',
    'dispatch→dispatched',
    'accept→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
    'rate→closed',
  ]);

  const ind = await s.indicators('2026-03-09', {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 1,
    should_handle: 1,
    handled: 1,
    handled_on_time: 1,
    should_close: 1,
    closed: 1,
    closed_on_time: 1,
    handling_ms: 24.5 * 3_600_000, // the latest dispatch and feedback: Thursday 09:30 → Friday 10:00
    responded_in_time: 1,
    verdict: 1,
    resolved: 1,
    rated: 1,
    satisfied: 1,
  });
  assert.equal(ind.indicators.resolution_rate.value, 1);
});
