import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cn, IN_GRID, rates, Scenario, steps } from '../helpers/scenario.ts';

// Reports and concurrent steps over HTTP: a duplicate merged into its original, a retried report,
// two people acting on one version. Each scenario reports on a day of its own, so that the
// indicators of that day are its cases' alone.

let s: Scenario;
before(async () => {
  s = await Scenario.start();
});
after(() => s.close());

test('a duplicate reported nearby is suggested, merged into its original, and counted once', async () => {
  s.at('2026-03-03 09:00'); // Tuesday
  const original = await s.report();
  assert.equal(original.reference, '330106-20260303-00001');
  assert.deepEqual(original.duplicates, []);

  s.at('2026-03-03 09:05');
  const res = await s.postReport('county.center', {
    channel: 'hotline',
    reporter: { name: '李四', phone: '13900139000' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const duplicate = res.json();
  assert.equal(duplicate.reference, '330106-20260303-00002');
  assert.deepEqual(duplicate.duplicates, [
    {
      id: original.id,
      reference: original.reference,
      distance_m: 0,
      reported_at: cn('2026-03-03 09:00'),
    },
  ]);

  s.at('2026-03-03 09:10');
  await s.act('county.center', original.id, { action: 'register' });
  s.at('2026-03-03 09:15');
  const bare = await s.post('county.center', duplicate.id, { action: 'merge', expected_version: 1 });
  assert.equal(bare.statusCode, 422);
  assert.equal(bare.json().error.code, 'case.field_required');
  const itself = await s.post('county.center', duplicate.id, {
    action: 'merge',
    merged_into: duplicate.id,
    expected_version: 1,
  });
  // Refused as a transition the case does not allow, and nothing written.
  assert.equal(itself.statusCode, 422, itself.body);
  assert.equal(itself.json().error.code, 'case.invalid_transition');
  assert.equal((await s.view(duplicate.id)).version, 1);
  let c = await s.act('county.center', duplicate.id, { action: 'merge', merged_into: original.id });
  assert.equal(c.status, 'merged');
  assert.equal(c.merged_into, original.id);
  assert.deepEqual(c.allowed_actions, []);
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-03 09:15'),
    stage_deadline: null,
    handling_deadline: null,
    next_check_at: null,
    paused_ms: 0,
  });
  assert.deepEqual(steps(c), ['report→reported', 'merge→merged']);
  assert.deepEqual(c.timeline[1].payload, { merged_into: original.id });
  const merged = await s.view(original.id);
  assert.deepEqual(
    merged.merged_from.map((m: { id: string }) => m.id),
    [duplicate.id],
    'the original names the duplicates merged into it',
  );
  assert.ok(merged.location && typeof merged.location.lon === 'number', 'and where it was reported');

  c = await s.handleToClosure(original.id, {
    dispatch: '2026-03-03 09:20',
    feedback: '2026-03-04 10:00',
    close: '2026-03-04 11:00',
  });
  assert.equal(c.deadlines.handling_deadline, cn('2026-03-10 09:20'));
  assert.deepEqual(steps(c), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'accept→handling',
    'feedback→awaiting_verification',
    'feedback→awaiting_verification',
    'verify_pass→verified',
    'close→closed',
  ]);

  const ind = await s.indicators('2026-03-03', {
    cases: 2, // both reports …
    intake_decided: 1, // … but the merged duplicate is decided on its original
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 1,
    should_handle: 1,
    handled: 1,
    handled_on_time: 1,
    should_close: 1,
    closed: 1,
    closed_on_time: 1,
    handling_ms: (24 * 60 + 40) * 60_000, // Tuesday 09:20 → Wednesday 10:00
    responded_in_time: 1,
  });
  assert.equal(ind.indicators.registration_rate.value, 1);
  assert.equal(ind.indicators.closure_rate.value, 1);
});

test('a retried report with the same idempotency key is one case, one report event, counted once', async () => {
  s.at('2026-03-04 09:00'); // Wednesday
  const key = 'b6f1c1e2-2026-0304-retry';
  const first = await s.postReport('resident', { idempotency_key: key });
  assert.equal(first.statusCode, 201, first.body);
  const { id, reference } = first.json();

  s.at('2026-03-04 09:01');
  const retry = await s.postReport('resident', { idempotency_key: key });
  assert.equal(retry.statusCode, 200, retry.body);
  assert.deepEqual(
    [retry.json().id, retry.json().reference, retry.json().created, retry.json().version],
    [id, reference, false, 1],
  );
  const byHeader = await s.t.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: { ...(await s.headers('resident')), 'idempotency-key': key },
    payload: {
      channel: 'web',
      category: 'SJ0102',
      title: '垃圾堆放',
      description: '重复提交',
      location: IN_GRID,
    },
  });
  assert.equal(byHeader.statusCode, 200, byHeader.body);
  assert.equal(byHeader.json().id, id);

  s.at('2026-03-04 09:10');
  let c = await s.act('county.center', id, { action: 'register' });
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-04 09:10'),
    stage_deadline: cn('2026-03-04 10:10'),
    handling_deadline: null,
    next_check_at: cn('2026-03-04 09:40'),
    paused_ms: 0,
  });
  s.at('2026-03-04 09:20');
  const later = await s.postReport('resident', { idempotency_key: key });
  assert.equal(later.statusCode, 200);
  assert.deepEqual([later.json().id, later.json().status, later.json().version], [id, 'registered', 2]);

  const day = 'from=2026-03-04T00:00:00%2B08:00&to=2026-03-05T00:00:00%2B08:00';
  const listed = await s.t.app.inject({
    url: `/api/v1/cases?${day}`,
    headers: await s.headers('county.center'),
  });
  assert.equal(listed.statusCode, 200, listed.body);
  assert.equal(listed.json().total, 1);
  assert.deepEqual(
    listed.json().items.map((i: { id: string }) => i.id),
    [id],
  );
  c = await s.view(id);
  assert.equal(c.version, 2);
  assert.deepEqual(steps(c), ['report→reported', 'register→registered']);

  const ind = await s.indicators('2026-03-04', {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    should_close: 1,
  });
  assert.deepEqual(rates(ind), {
    registration_rate: 1,
    dispatch_accuracy: null,
    handling_rate: null,
    on_time_handling_rate: null,
    closure_rate: 0,
    on_time_closure_rate: 0,
    rework_rate: null,
    avg_handling_hours: null,
    response_rate: null,
    resolution_rate: null,
    satisfaction_rate: null,
  });
});

test('a step sent on a stale version is a 409 case.version_conflict and changes nothing', async () => {
  s.at('2026-03-05 09:00'); // Thursday
  const { id } = await s.report();
  s.at('2026-03-05 09:10');
  await s.act('county.center', id, { action: 'register' });
  s.at('2026-03-05 09:20');
  const dispatched = await s.post('county.center', id, { action: 'dispatch', expected_version: 2 });
  assert.equal(dispatched.statusCode, 200, dispatched.body);
  const before = await s.view(id);
  assert.equal(before.version, 3);
  const counted = {
    cases: 1,
    intake_decided: 1,
    registered: 1,
    dispatched: 1,
    dispatched_accurately: 1,
    should_handle: 1,
    should_close: 1,
  };
  const indicatorsBefore = await s.indicators('2026-03-05', counted);

  s.at('2026-03-05 09:25');
  // The township handler read version 2 before the centre dispatched, and dispatches too.
  const stale = await s.post('township.handler', id, {
    action: 'dispatch',
    department_id: 'dept-330106-market',
    reason: '涉及经营行为',
    expected_version: 2,
  });
  assert.equal(stale.statusCode, 409, stale.body);
  assert.equal(stale.json().error.code, 'case.version_conflict');
  assert.match(stale.json().error.message, /版本/);
  assert.match(stale.json().error.message_en, /version 3, you sent 2/);
  // The version check comes first: a stale step that would be refused anyway is still a 409.
  for (const [who, payload] of [
    ['dept.urban', { action: 'accept' }],
    ['county.center', { action: 'close' }],
  ] as const) {
    const res = await s.post(who, id, { ...payload, expected_version: 2 });
    assert.equal(res.statusCode, 409, `${who} ${payload.action}: ${res.body}`);
  }
  assert.deepEqual(await s.view(id), before, 'nothing changed: version, stage, deadlines, tasks, timeline');
  assert.deepEqual(await s.indicators('2026-03-05', counted), indicatorsBefore);

  const c = await s.act('dept.urban', id, { action: 'accept' });
  assert.equal(c.version, 4);
  assert.deepEqual(c.deadlines, {
    stage_started_at: cn('2026-03-05 09:25'),
    stage_deadline: cn('2026-03-12 09:20'),
    handling_deadline: cn('2026-03-12 09:20'),
    // 34 h 55 min of work left from Thursday 09:25; half of it (Thu 6:05, Fri 7, Mon 3:30 +
    // 52.5 min) ends on Monday at 14:52:30.
    next_check_at: cn('2026-03-09 14:52:30'),
    paused_ms: 0,
  });
  assert.deepEqual(steps(c), [
    'report→reported',
    'register→registered',
    'dispatch→dispatched',
    'accept→handling',
  ]);
  await s.indicators('2026-03-05', { ...counted, responded_in_time: 1 });
});

test('a report starts its registration clock: 2 work hours, checked at the 50 % point', async () => {
  s.at('2026-03-06 09:00'); // Friday
  const { id } = await s.report();
  assert.deepEqual((await s.view(id)).deadlines, {
    stage_started_at: cn('2026-03-06 09:00'),
    stage_deadline: cn('2026-03-06 11:00'),
    handling_deadline: null,
    next_check_at: cn('2026-03-06 10:00'),
    paused_ms: 0,
  });
});
