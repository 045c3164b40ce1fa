import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { actOnCase, type WorkflowDeps } from '../../src/cases/act-on-case.ts';
import { getCase } from '../../src/cases/get-case.ts';
import { sweepCases } from '../../src/cases/sweep-cases.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';

const { county, township, housing } = ACTORS;
const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
let store: TestStore;
let deps: WorkflowDeps;

before(async () => {
  store = await makeTestStore();
  await seedXihu(store, clock);
  deps = { store, clock, rules: new RulesCache(store.db, 0) };
});
after(() => store.close());

async function dispatchedCase(): Promise<string> {
  clock.set('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await actOnCase(deps, county, id, { action: 'register', expected_version: 1 });
  await actOnCase(deps, county, id, { action: 'dispatch', expected_version: 2 });
  return id;
}

const notices = async (id: string) =>
  (
    await store.db
      .selectFrom('case_notices')
      .select('threshold')
      .where('case_id', '=', id)
      .orderBy('threshold')
      .execute()
  ).map((n) => n.threshold);

test('a dispatched case earns its 50 %, 80 % and 100 % notices once each, however often the sweeper runs', async () => {
  const id = await dispatchedCase();
  const view = await getCase(store, county, id);
  const deadline = view.deadlines.handling_deadline!;
  // 5 working days from Monday 09:00 is the next Monday 09:00.
  assert.equal(deadline, '2026-03-09T01:00:00.000Z');
  clock.set('2026-03-02T10:00:00+08:00');
  assert.deepEqual(await notices(id), []);
  assert.equal((await sweepCases(deps)).checked, 0, 'nothing is due: the indexed query finds nothing');

  clock.set('2026-03-05T09:00:00+08:00'); // Thursday: 3 of 5 working days used
  await sweepCases(deps);
  await sweepCases(deps);
  assert.deepEqual(await notices(id), [50]);

  clock.set('2026-03-06T15:00:00+08:00'); // Friday afternoon: past 80 %
  const both = await Promise.all([sweepCases(deps), sweepCases(deps)]);
  assert.equal(both[0].notices + both[1].notices, 1, 'two sweepers at once send the notice once');
  assert.deepEqual(await notices(id), [50, 80]);

  clock.set('2026-03-09T09:00:00+08:00');
  await sweepCases(deps);
  assert.deepEqual(await notices(id), [50, 80, 100]);
});

test('an overdue case climbs to the city and then the province command centre, one overdue period each', async () => {
  const id = await dispatchedCase();
  clock.set('2026-03-09T10:00:00+08:00'); // an hour past the deadline
  const escalations = async () =>
    (await getCase(store, county, id)).timeline.filter((e) => e.action === 'escalate').length;
  await sweepCases(deps);
  assert.equal(await escalations(), 0);
  assert.deepEqual(await notices(id), [50, 80, 100], 'notices missed while nobody swept are all sent');

  clock.set('2026-03-10T09:00:00+08:00'); // one day overdue
  await sweepCases(deps);
  assert.equal(await escalations(), 1);
  clock.set('2026-03-11T09:00:00+08:00');
  await sweepCases(deps);
  assert.equal(await escalations(), 2);
  clock.set('2026-03-20T09:00:00+08:00');
  await sweepCases(deps);
  assert.equal(await escalations(), 2, 'the province is the top');

  const view = await getCase(store, county, id);
  const events = view.timeline.filter((e) => e.action === 'escalate');
  assert.ok(
    events.every((e) => e.actor === 'system'),
    JSON.stringify(events[0]),
  );
  assert.equal(view.status, 'dispatched', 'escalation raises the holder, not the stage');
});

test('a whistle unanswered in time escalates its case once; the late department may still report in', async () => {
  const id = await dispatchedCase();
  const version = async () => (await getCase(store, county, id)).version;
  await actOnCase(deps, township, id, {
    action: 'whistle',
    expected_version: await version(),
    departments: ['dept-330106-market', 'dept-330106-housing'],
    report_in_hours: 1,
  });
  clock.set('2026-03-02T11:00:00+08:00'); // an hour past the report-in deadline
  const [a, b] = await Promise.all([sweepCases(deps), sweepCases(deps)]);
  assert.equal(a.unanswered_whistles + b.unanswered_whistles, 2);
  let view = await getCase(store, county, id);
  const escalations = view.timeline.filter((e) => e.action === 'escalate');
  assert.equal(escalations.length, 1, 'two late departments, one escalation');
  assert.match(
    escalations[0]!.reason ?? '',
    /dept-330106-market.*dept-330106-housing|dept-330106-housing.*dept-330106-market/,
  );
  assert.equal((await sweepCases(deps)).unanswered_whistles, 0, 'a second sweep finds nothing more');
  await actOnCase(deps, housing, id, { action: 'report_in', expected_version: await version() });
  view = await getCase(store, county, id);
  assert.deepEqual(view.timeline.at(-1)?.payload, { department_id: 'dept-330106-housing', late: true });
});

test('a whistle unanswered at a case already at the province is marked with a note event, not silently', async () => {
  const id = await dispatchedCase();
  const version = async () => (await getCase(store, county, id)).version;
  for (const reason of ['一级督办', '二级督办']) {
    await actOnCase(deps, county, id, { action: 'escalate', reason, expected_version: await version() });
  }
  await actOnCase(deps, township, id, {
    action: 'whistle',
    expected_version: await version(),
    departments: ['dept-330106-market'],
    report_in_hours: 1,
  });
  const before = await version();
  clock.set('2026-03-02T11:00:00+08:00');
  const report = await sweepCases(deps);
  assert.equal(report.unanswered_whistles, 1);
  const view = await getCase(store, county, id);
  assert.equal(view.version, before + 1, 'the marking is a version of its own, with its event');
  const last = view.timeline.at(-1)!;
  assert.equal(last.action, 'note');
  assert.equal(last.actor, 'system');
  assert.match(last.reason ?? '', /dept-330106-market/);
  assert.deepEqual(last.payload, { unanswered: ['dept-330106-market'], not_escalated: 'highest_level' });
  const task = view.assignees.find((t) => t.department_id === 'dept-330106-market');
  assert.equal(task?.status, 'escalated');
  assert.equal((await sweepCases(deps)).unanswered_whistles, 0, 'and only once');
});

test('an escalating sweep writes the escalation and the next look at the case in one step', async () => {
  const id = await dispatchedCase();
  clock.set('2026-03-11T09:00:00+08:00'); // two working days past the handling deadline
  // Other tests' cases are due too: this one's own row and events say what happened to it.
  const report = await sweepCases(deps, { overdueMs: 86_400_000 });
  assert.ok(report.escalated >= 1);
  const row = await store.db
    .selectFrom('cases')
    .select(['version', 'next_check_at', 'escalation_level'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(row.escalation_level, 1);
  assert.notEqual(row.next_check_at, null, 'the sweeper will look again');
  const events = await store.db
    .selectFrom('case_events')
    .select('version')
    .where('case_id', '=', id)
    .execute();
  assert.equal(events.length, row.version, 'no version without its event');
});
