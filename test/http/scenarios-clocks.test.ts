import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assignees, cn, HOUSING, MARKET, Scenario, steps } from '../helpers/scenario.ts';

// The clocks of a case over HTTP: an extension, a pause (挂账) over a holiday, and a whistle (吹哨)
// whose late department the sweeper escalates. Deadlines follow the 2026 holiday arrangement
// (清明 4–6 April, 劳动节 1–5 May with Saturday 9 May worked); each scenario reports on a day of its
// own, so that the indicators of that day are its case's alone.

let s: Scenario;
before(async () => {
  s = await Scenario.start();
});
after(() => s.close());

type Task = { department_id: string; role: string; status: string };

test('an extension approved by the centre moves the handling deadline over 劳动节 and keeps the case on time', async () => {
  s.at('2026-04-29 09:00'); // Wednesday before the 1–5 May holiday
  const { id } = await s.report();
  await s.act('county.center', id, { action: 'register' });
  s.at('2026-04-29 09:30');
  let c = await s.act('county.center', id, { action: 'dispatch' });
  // Working days: Thu 30 April, (1–5 May off), Wed 6, Thu 7, Fri 8, and Saturday 9 May, a make-up
  // working day (调休): due Saturday 09:30.
  assert.equal(c.deadlines.handling_deadline, cn('2026-05-09 09:30'));
  s.at('2026-04-29 10:00');
  c = await s.act('dept.urban', id, { action: 'accept' });
  // Half of the 34.5 work hours left: Wed 5.5, Thu 7, Wed 6 May 3.5 + 1.25 → 15:15.
  assert.equal(c.deadlines.next_check_at, cn('2026-05-06 15:15'));

  s.at('2026-04-30 10:00');
  const noDays = await s.post('dept.urban', id, {
    action: 'request_extension',
    reason: '需要采购设备',
    expected_version: c.version,
  });
  assert.equal(noDays.statusCode, 422);
  assert.equal(noDays.json().error.code, 'case.field_required');
  c = await s.act('dept.urban', id, { action: 'request_extension', reason: '需要采购设备', days: 2 });
  assert.deepEqual(c.pending_extension, { days: 2, reason: '需要采购设备', requested_by: 'dept.urban' });
  assert.equal(c.deadlines.handling_deadline, cn('2026-05-09 09:30'), 'asking moves nothing');
  const early = await s.post('dept.urban', id, { action: 'approve_extension', expected_version: c.version });
  assert.equal(early.statusCode, 403, 'a department cannot approve its own extension');

  s.at('2026-04-30 11:00');
  c = await s.act('county.center', id, { action: 'approve_extension' });
  // Two working days after Saturday 9 May 09:30 (Sunday is off): Monday 11, Tuesday 12 May.
  assert.equal(c.pending_extension, null);
  assert.equal(c.counts.extensions, 1);
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-04-29 10:00'),
    stage_deadline: cn('2026-05-12 09:30'),
    handling_deadline: cn('2026-05-12 09:30'),
    next_check_at: cn('2026-05-06 15:15'),
    paused_ms: 0,
  });

  s.at('2026-05-11 10:00'); // Monday: after the first deadline, before the extended one
  c = await s.act('dept.urban', id, { action: 'feedback', evidence: ['installed.jpg'] });
  assert.equal(c.deadlines.stage_deadline, cn('2026-05-12 10:00'));
  s.at('2026-05-11 11:00');
  await s.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
  s.at('2026-05-12 09:00');
  await s.act('grid.worker', id, { action: 'verify_pass' });
  s.at('2026-05-12 09:30');
  await s.act('county.center', id, { action: 'close' });
  s.at('2026-05-12 10:00');
  c = await s.act('resident', id, { action: 'rate', rating: 4, fixed: true });
  assert.deepEqual(steps(c), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'accept→handling',
    'request_extension→handling',
    'approve_extension→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
    'rate→closed',
  ]);
  assert.deepEqual(c.timeline[5].payload, { days: 2, handling_deadline: cn('2026-05-12 09:30') });

  const ind = await s.indicators('2026-04-29', {
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
    handling_ms: (12 * 24 + 0.5) * 3_600_000, // 29 April 09:30 → 11 May 10:00
    responded_in_time: 1,
    verdict: 1,
    resolved: 1,
    rated: 1,
    satisfied: 1, // 4 = 基本满意
  });
  assert.equal(ind.indicators.on_time_handling_rate.value, 1);
  assert.equal(ind.indicators.satisfaction_rate.value, 1);
});

test('a parked case stops its clock: over 清明 the deadline moves by the 7 working hours paused, not 4 days', async () => {
  s.at('2026-04-02 09:00'); // Thursday before the 4–6 April holiday
  const { id } = await s.report();
  await s.act('county.center', id, { action: 'register' });
  let c = await s.act('county.center', id, { action: 'dispatch' });
  // Fri 3 April, (4–6 April off), Tue 7, Wed 8, Thu 9, Fri 10 April 09:00.
  assert.equal(c.deadlines.handling_deadline, cn('2026-04-10 09:00'));
  s.at('2026-04-02 09:30');
  await s.act('dept.urban', id, { action: 'accept' });

  s.at('2026-04-03 10:00');
  const noReason = await s.post('county.center', id, { action: 'park', expected_version: 4 });
  assert.equal(noReason.statusCode, 422);
  assert.equal(noReason.json().error.code, 'case.reason_required');
  c = await s.act('county.center', id, { action: 'park', reason: '等待产权单位答复' });
  assert.equal(c.status, 'parked');
  assert.equal(c.stage_before_park, 'handling');
  assert.equal(c.deadlines.next_check_at, null, 'the sweeper leaves a parked case alone');
  assert.equal(c.deadlines.handling_deadline, cn('2026-04-10 09:00'));
  assert.deepEqual(await s.view(id, 'dept.urban').then((v) => v.allowed_actions), []);
  const blocked = await s.post('dept.urban', id, {
    action: 'feedback',
    evidence: ['x.jpg'],
    expected_version: c.version,
  });
  assert.equal(blocked.statusCode, 422);
  assert.equal(blocked.json().error.code, 'case.invalid_transition');
  // While parked the case is not held against the department: no 应处置, no 应结案.
  await s.indicators('2026-04-02', {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 1,
    responded_in_time: 1,
  });

  s.at('2026-04-07 10:00'); // Tuesday
  c = await s.act('county.center', id, { action: 'resume' });
  assert.equal(c.status, 'handling');
  assert.equal(c.stage_before_park, null);
  // Paused: Friday 10:00–17:30 (5.5 work hours), the holiday (none), Tuesday 08:30–10:00 (1.5):
  // 7 h, one working day, so Friday 10 April 09:00 becomes Monday 13 April 09:00.
  assert.equal(c.deadlines.paused_ms, 4 * 24 * 3_600_000);
  assert.equal(c.deadlines.handling_deadline, cn('2026-04-13 09:00'));
  assert.equal(c.deadlines.stage_deadline, cn('2026-04-13 09:00'));
  assert.deepEqual(c.timeline.at(-1).payload, {
    paused_ms: 4 * 24 * 3_600_000,
    stage_deadline: cn('2026-04-13 09:00'),
  });

  s.at('2026-04-10 15:00'); // past the first deadline, within the moved one
  c = await s.act('dept.urban', id, { action: 'feedback', evidence: ['after.jpg'] });
  assert.equal(c.deadlines.stage_deadline, cn('2026-04-13 15:00'));
  s.at('2026-04-10 16:00');
  await s.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
  s.at('2026-04-13 09:00');
  await s.act('grid.worker', id, { action: 'verify_pass' });
  s.at('2026-04-13 09:30');
  await s.act('county.center', id, { action: 'close' });
  s.at('2026-04-13 10:00');
  c = await s.act('resident', id, { action: 'rate', rating: 3, fixed: true });
  assert.deepEqual(steps(c), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'accept→handling',
    'park→parked',
    'resume→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
    'rate→closed',
  ]);

  const ind = await s.indicators('2026-04-02', {
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
    // Natural time, the pause included: 2 April 09:00 → 10 April 15:00.
    handling_ms: (8 * 24 + 6) * 3_600_000,
    responded_in_time: 1,
    verdict: 1,
    resolved: 1,
    rated: 1,
    satisfied: 0, // 3 = 一般
  });
  assert.equal(ind.indicators.avg_handling_hours.value, 198);
  assert.equal(ind.indicators.satisfaction_rate.value, 0);
  assert.equal(ind.indicators.resolution_rate.value, 1);
});

test('after a resume the notices still to come are timed by the clock that ran, not the pause', async () => {
  // A store of its own: the sweeper looks at every case that is due.
  const w = await Scenario.start();
  try {
    w.at('2026-04-14 09:00'); // Tuesday
    const { id } = await w.report();
    await w.act('county.center', id, { action: 'register' });
    await w.act('county.center', id, { action: 'dispatch' });
    w.at('2026-04-14 10:00');
    await w.act('county.center', id, { action: 'park', reason: '等待产权单位答复' });
    w.at('2026-04-15 10:00');
    let c = await w.act('county.center', id, { action: 'resume' });
    // 5 working days (35 h) from Tuesday 09:00, moved by the 7 working hours paused.
    assert.equal(c.deadlines.stage_deadline, cn('2026-04-22 09:00'));
    // Looked at again at once, so that the rest of the stage is planned with the pause taken off.
    assert.equal(c.deadlines.next_check_at, cn('2026-04-15 10:00'));
    const first = await w.sweep();
    assert.equal(first.notices, 0, 'one hour of 35 used: nothing due yet');
    c = await w.view(id);
    // 50 % = 17.5 working hours run: Tue 09:00–17:30 (6.5), Wed (7), Thu (7) = 20.5 by Thursday
    // evening, less the 7 paused ones that sat inside them → 17.5 is reached on Friday at 14:30.
    assert.equal(c.deadlines.next_check_at, cn('2026-04-17 14:30'));
    w.at('2026-04-17 14:29');
    assert.equal((await w.sweep()).notices, 0);
    w.at('2026-04-17 14:30');
    assert.equal((await w.sweep()).notices, 1, 'the 50 % notice, at 50 % of the clock that ran');
  } finally {
    await w.close();
  }
});

test('a whistle summons two departments; the sweeper escalates the one that misses its report-in', async () => {
  // A store of its own: the sweeper looks at every case that is due, and this test moves it on.
  const w = await Scenario.start();
  try {
    w.at('2026-03-04 09:00'); // Wednesday
    const { id } = await w.report();
    await w.act('county.center', id, { action: 'register' });
    w.at('2026-03-04 09:05');
    await w.act('county.center', id, { action: 'dispatch' });
    w.at('2026-03-04 09:10');
    let c = await w.act('dept.urban', id, { action: 'accept' });
    const handling = cn('2026-03-11 09:05');
    const before = c.deadlines;
    assert.equal(before.stage_deadline, handling);

    w.at('2026-03-04 09:30');
    c = await w.act('township.handler', id, {
      action: 'whistle',
      departments: [MARKET, HOUSING],
      report_in_hours: 1,
    });
    assert.equal(c.status, 'handling');
    assert.deepEqual(c.deadlines, before, 'a whistle moves no stage clock');
    // Report-in is counted on the clock (urgent hours); the summoned share the handling deadline.
    const summoned = c.assignees.filter((a: Task) => a.role === 'summoned');
    assert.deepEqual(
      summoned.map((a: Task & { report_in_deadline: string; deadline: string }) => [
        a.department_id,
        a.status,
        a.report_in_deadline,
        a.deadline,
      ]),
      [
        [MARKET, 'awaiting_report_in', cn('2026-03-04 10:30'), handling],
        [HOUSING, 'awaiting_report_in', cn('2026-03-04 10:30'), handling],
      ],
    );

    w.at('2026-03-04 10:00');
    await w.act('dept.market', id, { action: 'report_in' });
    w.at('2026-03-04 11:00');
    assert.deepEqual(await w.sweep(), {
      checked: 0,
      notices: 0,
      escalated: 1,
      unanswered_whistles: 1,
      skipped: 0,
    });
    c = await w.view(id);
    assert.equal(c.escalation_level, 1, 'up to the city centre');
    assert.deepEqual(assignees(c).slice(2), [`${MARKET} summoned open`, `${HOUSING} summoned escalated`]);
    const escalation = c.timeline.at(-1);
    assert.deepEqual(
      [escalation.action, escalation.actor, escalation.role],
      ['escalate', 'system', 'province_centre'],
    );
    assert.match(escalation.reason, new RegExp(HOUSING));
    assert.doesNotMatch(escalation.reason, new RegExp(MARKET));
    assert.deepEqual(c.deadlines, before, 'escalation raises the holder, not the clock');
    w.at('2026-03-04 11:05');
    assert.equal((await w.sweep()).unanswered_whistles, 0, 'escalated once');

    w.at('2026-03-04 11:30');
    c = await w.act('dept.housing', id, { action: 'report_in' });
    assert.deepEqual(
      c.timeline
        .filter((e: { action: string }) => e.action === 'report_in')
        .map((e: { payload: object }) => e.payload),
      [
        { department_id: MARKET, late: false },
        { department_id: HOUSING, late: true },
      ],
    );

    w.at('2026-03-05 10:00');
    c = await w.act('dept.urban', id, { action: 'feedback', evidence: ['lead.jpg'] });
    assert.equal(c.status, 'awaiting_verification');
    assert.equal(c.deadlines.stage_deadline, cn('2026-03-06 10:00'));
    w.at('2026-03-05 10:30');
    await w.act('dept.market', id, { action: 'feedback', evidence: ['market.jpg'] });
    await w.act('township.handler', id, { action: 'feedback', evidence: ['township.jpg'] });
    w.at('2026-03-05 11:00');
    const early = await w.post('grid.worker', id, { action: 'verify_pass', expected_version: c.version + 2 });
    assert.equal(early.statusCode, 422, 'the housing task is still open');
    assert.equal(early.json().error.code, 'case.invalid_transition');
    await w.act('dept.housing', id, { action: 'feedback', evidence: ['housing.jpg'] });
    w.at('2026-03-05 11:30');
    c = await w.act('grid.worker', id, { action: 'verify_pass' });
    // Same verification deadline; half of the 5.5 work hours left is Thursday 16:15.
    assert.equal(c.deadlines.stage_deadline, cn('2026-03-06 10:00'));
    assert.equal(c.deadlines.next_check_at, cn('2026-03-05 16:15'));
    w.at('2026-03-05 16:30');
    c = await w.act('county.center', id, { action: 'close' });
    assert.deepEqual(steps(c), [
      'report→reported',
      'register→registered',
      'dispatch→dispatched',
      'accept→handling',
      'whistle→handling',
      'report_in→handling',
      'escalate→handling',
      'report_in→handling',
      'feedback→awaiting_verification',
      'feedback→awaiting_verification',
      'feedback→awaiting_verification',
      'feedback→awaiting_verification',
      'verify_pass→verified',
      'close→closed',
    ]);

    const ind = await w.indicators('2026-03-04', {
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
      handling_ms: (24 * 60 + 55) * 60_000, // Wednesday 09:05 → Thursday 10:00
      responded_in_time: 1,
    });
    assert.equal(ind.indicators.closure_rate.value, 1);
  } finally {
    await w.close();
  }
});
