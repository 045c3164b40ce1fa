import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { anchorAudit } from '../../src/audit/anchor-audit.ts';
import { verifyAudit } from '../../src/audit/verify-audit.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;

before(async () => {
  store = await makeTestStore();
  await seedDemo({ store, clock: fixedClock('2026-01-01T00:00:00Z') }, { password: 'demo', cases: 300 });
});
after(() => store.close());

test('the demo verifies clean after seeding: its year of history is chained as the live workflow chains', async () => {
  const report = await verifyAudit({ db: store.db });
  assert.deepEqual(report.issues, []);
  assert.ok(report.cases > 200 && report.events > report.cases, JSON.stringify(report));
  assert.ok(report.audit_rows > 0, 'seeding the accounts and rules is audited');
});

test('anchoring the demo covers every day of its history, and the anchors verify', async () => {
  const { anchored } = await anchorAudit({ store, clock: fixedClock('2026-01-02T00:00:00Z') });
  assert.ok(anchored.length >= 365, `${anchored.length} days`);
  assert.equal(anchored.at(-1)!.period, '2026-01-01');
  assert.equal(
    anchored.reduce((n, a) => n + (a.cases > 0 ? 1 : 0), 0) > 300,
    true,
    'most days had cases with events',
  );
  const report = await verifyAudit({ db: store.db });
  assert.deepEqual(report.issues, []);
  assert.equal(report.anchors, anchored.length);
});
