import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { actOnCase, type ActOnCaseInput, type WorkflowDeps } from '../../src/cases/act-on-case.ts';
import { getCase } from '../../src/cases/get-case.ts';
import type { Actor } from '../../src/core/access/roles.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { DomainError } from '../../src/core/errors.ts';
import { RulesCache } from '../../src/responsibility/rules-cache.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';

const { county, urban, market, housing, worker, township, resident } = ACTORS;
const clock = fixedClock('2026-03-02T09:00:00+08:00'); // Monday
let store: TestStore;
let deps: WorkflowDeps;

before(async () => {
  store = await makeTestStore();
  await seedXihu(store, clock);
  deps = { store, clock, rules: new RulesCache(store.db, 0) };
});
after(() => store.close());

async function act(actor: Actor, id: string, input: Omit<ActOnCaseInput, 'expected_version'>) {
  const current = await getCase(store, county, id);
  return actOnCase(deps, actor, id, { ...input, expected_version: current.version });
}
const at = (iso: string) => clock.set(iso);
const timeline = async (id: string) => (await getCase(store, county, id)).timeline.map((e) => e.action);
const refusal = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

test('a normal case goes from report to closure and rating, each stage with its deadline', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase(
    { db: store.db, keyring: store.keyring, clock },
    { reporter_user_id: resident.user_id },
  );
  await act(county, id, { action: 'register' });
  let view = await getCase(store, county, id);
  assert.equal(view.status, 'registered');
  assert.equal(view.deadlines.stage_deadline, '2026-03-02T02:00:00.000Z'); // 1 work hour: 10:00
  assert.equal(view.deadlines.next_check_at, '2026-03-02T01:30:00.000Z'); // its 50 % point
  at('2026-03-02T09:30:00+08:00');
  await act(county, id, { action: 'dispatch' });
  view = await getCase(store, county, id);
  assert.equal(view.owner_department_id, 'dept-330106-urban');
  assert.equal(view.responsibility.dispatch_overridden, false);
  assert.ok(view.responsibility.version! >= 1);
  assert.equal(view.deadlines.stage_deadline, view.deadlines.handling_deadline);
  assert.deepEqual((await getCase(store, urban, id)).allowed_actions, ['accept', 'return', 'escalate']);
  await act(urban, id, { action: 'accept' });
  await act(urban, id, { action: 'feedback', evidence: ['after.jpg'] });
  // The township office assists (乡镇履职事项清单): its own task must be done before verification.
  await assert.rejects(act(worker, id, { action: 'verify_pass' }), refusal('case.invalid_transition'));
  await act(township, id, { action: 'feedback', evidence: ['township.jpg'] });
  await act(worker, id, { action: 'verify_pass' });
  await act(county, id, { action: 'close' });
  await act(resident, id, { action: 'rate', rating: 5, fixed: true });
  view = await getCase(store, resident, id);
  assert.equal(view.status, 'closed');
  assert.equal(view.deadlines.next_check_at, null);
  assert.deepEqual(view.rating, { score: 5, fixed: true, at: '2026-03-02T01:30:00.000Z' });
  assert.equal(view.reporter.name, '张三丰', 'the reporter sees their own data');
  assert.deepEqual(await timeline(id), [
    'report',
    'register',
    'dispatch',
    'accept',
    'feedback',
    'feedback',
    'verify_pass',
    'close',
    'rate',
  ]);
  const worker_view = await getCase(store, worker, id);
  assert.equal(worker_view.reporter.phone, '13800138000');
});

test('a case returned twice goes to the command centre, which decides the owner with a reason', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await act(county, id, { action: 'register' });
  await act(county, id, { action: 'dispatch' });
  await assert.rejects(act(urban, id, { action: 'return' }), refusal('case.reason_required'));
  await act(urban, id, { action: 'return', reason: '不属于城管职责' });
  assert.equal((await getCase(store, county, id)).status, 'registered');
  await assert.rejects(
    act(county, id, { action: 'dispatch', department_id: 'dept-330106-market' }),
    refusal('case.reason_required'),
  );
  await act(county, id, { action: 'dispatch', department_id: 'dept-330106-market', reason: '涉及经营行为' });
  let view = await getCase(store, county, id);
  assert.equal(view.responsibility.dispatch_overridden, true);
  await act(market, id, { action: 'return', reason: '不属于市场监管职责' });
  view = await getCase(store, county, id);
  assert.equal(view.status, 'arbitration');
  assert.equal(view.counts.returns, 2);
  await act(county, id, {
    action: 'arbitrate',
    department_id: 'dept-330106-urban',
    reason: '依据权责清单由城管负责',
  });
  view = await getCase(store, county, id);
  assert.equal(view.status, 'dispatched');
  assert.equal(view.owner_department_id, 'dept-330106-urban');
  assert.deepEqual(await timeline(id), [
    'report',
    'register',
    'dispatch',
    'return',
    'dispatch',
    'return',
    'arbitrate',
  ]);
});

test('a failed verification sends the case back for rework; the handling deadline stays', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await act(county, id, { action: 'register' });
  await act(county, id, { action: 'dispatch' });
  const handling = (await getCase(store, county, id)).deadlines.handling_deadline;
  await act(urban, id, { action: 'accept' });
  await act(urban, id, { action: 'feedback', evidence: ['after.jpg'] });
  await act(worker, id, { action: 'verify_fail', reason: '现场仍有垃圾' });
  const view = await getCase(store, county, id);
  assert.equal(view.status, 'handling');
  assert.equal(view.counts.rework, 1);
  assert.equal(view.deadlines.stage_deadline, handling);
  assert.equal(view.deadlines.handling_deadline, handling);
});

test('parking pauses the clock: resuming a day later moves the deadline by the working time paused', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await act(county, id, { action: 'register' });
  await act(county, id, { action: 'dispatch' });
  await act(urban, id, { action: 'accept' });
  const before = new Date((await getCase(store, county, id)).deadlines.handling_deadline!).getTime();
  at('2026-03-03T09:00:00+08:00'); // Tuesday
  await act(county, id, { action: 'park', reason: '等待法院裁定' });
  assert.equal((await getCase(store, county, id)).deadlines.next_check_at, null);
  await assert.rejects(
    act(urban, id, { action: 'feedback', evidence: ['x.jpg'] }),
    refusal('case.invalid_transition'),
  );
  at('2026-03-04T09:00:00+08:00'); // Wednesday: one working day (7 h of work) later
  await act(county, id, { action: 'resume' });
  const view = await getCase(store, county, id);
  assert.equal(view.status, 'handling');
  assert.equal(view.deadlines.paused_ms, 24 * 3_600_000);
  const after_ = new Date(view.deadlines.handling_deadline!).getTime();
  assert.equal(after_ - before, 24 * 3_600_000, 'one working day later, same clock position');
});

test('a whistle summons two departments; one reports in late; the case closes only when every task is done', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await act(county, id, { action: 'register' });
  await act(county, id, { action: 'dispatch' });
  await act(urban, id, { action: 'accept' });
  await act(township, id, {
    action: 'whistle',
    departments: ['dept-330106-market', 'dept-330106-housing'],
    report_in_hours: 1,
  });
  let view = await getCase(store, county, id);
  const summoned = view.assignees.filter((t) => t.role === 'summoned');
  assert.equal(summoned.length, 2);
  assert.equal(summoned[0]!.report_in_deadline, '2026-03-02T02:00:00.000Z');
  at('2026-03-02T09:40:00+08:00');
  await act(market, id, { action: 'report_in' });
  at('2026-03-02T11:00:00+08:00');
  await act(housing, id, { action: 'report_in' });
  view = await getCase(store, county, id);
  const late = view.timeline.filter((e) => e.action === 'report_in').map((e) => e.payload.late);
  assert.deepEqual(late, [false, true]);
  await act(urban, id, { action: 'feedback', evidence: ['lead.jpg'] });
  await act(market, id, { action: 'feedback', evidence: ['market.jpg'] });
  await act(township, id, { action: 'feedback', evidence: ['township.jpg'] });
  await assert.rejects(act(worker, id, { action: 'verify_pass' }), refusal('case.invalid_transition'));
  await act(housing, id, { action: 'feedback', evidence: ['housing.jpg'] });
  await act(worker, id, { action: 'verify_pass' });
  await act(county, id, { action: 'close' });
  assert.equal((await getCase(store, county, id)).status, 'closed');
});

test('an extension, approved by the centre, moves the handling deadline by the days asked', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await act(county, id, { action: 'register' });
  await act(county, id, { action: 'dispatch' });
  await act(urban, id, { action: 'accept' });
  const before = new Date((await getCase(store, county, id)).deadlines.handling_deadline!).getTime();
  await act(urban, id, { action: 'request_extension', reason: '需要采购设备', days: 1 });
  await act(county, id, { action: 'approve_extension' });
  const view = await getCase(store, county, id);
  assert.equal(view.counts.extensions, 1);
  assert.ok(new Date(view.deadlines.handling_deadline!).getTime() > before);
});

test('the reporter reopens a closed case within the window; "not fixed" is its own state', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase(
    { db: store.db, keyring: store.keyring, clock },
    { reporter_user_id: resident.user_id },
  );
  await act(worker, id, { action: 'self_resolve', evidence: ['spot.jpg'] });
  await act(worker, id, { action: 'verify_pass' });
  await act(county, id, { action: 'close' });
  await act(resident, id, { action: 'rate', rating: 2, fixed: false });
  assert.equal((await getCase(store, county, id)).status, 'closed_unfixed');
  at('2026-03-05T09:00:00+08:00');
  await act(resident, id, { action: 'reopen', reason: '垃圾又堆起来了' });
  assert.equal((await getCase(store, county, id)).status, 'registered');
});

test('two handlers racing on one case never both succeed', async () => {
  at('2026-03-02T09:00:00+08:00');
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  const results = await Promise.allSettled([
    actOnCase(deps, county, id, { action: 'register', expected_version: 1 }),
    actOnCase(deps, county, id, { action: 'void', reason: '重复', expected_version: 1 }),
  ]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(refusal('case.version_conflict')(rejected.reason), String(rejected.reason));
  const view = await getCase(store, county, id);
  assert.equal(view.version, 2);
  assert.equal(view.timeline.length, 2);
});
