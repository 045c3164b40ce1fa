import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { verifyAudit } from '../../src/audit/verify-audit.ts';
import { backfillChains } from '../../src/db/migrations/0027-audit-chains.ts';
import { Scenario } from '../helpers/scenario.ts';

let s: Scenario;
const db = () => s.t.store.db;

before(async () => {
  s = await Scenario.start();
  for (let i = 0; i < 3; i++) {
    s.at('2026-03-02 09:00');
    const { id } = await s.report();
    await s.act('county.center', id, { action: 'register' });
    await s.handleToClosure(id, {
      dispatch: '2026-03-02 09:30',
      feedback: '2026-03-02 11:00',
      close: '2026-03-02 14:00',
    });
  }
});
after(() => s.close());

const hashes = async () => ({
  events: await db().selectFrom('case_events').select(['id', 'prev_hash', 'hash']).orderBy('id').execute(),
  cases: await db().selectFrom('cases').select(['id', 'last_event_hash']).orderBy('id').execute(),
  audit: await db().selectFrom('audit_log').select(['id', 'prev_hash', 'hash']).orderBy('id').execute(),
});

test('migration 0027 hashes existing rows as the writers do, so a migrated database verifies', async () => {
  const written = await hashes();
  // The database as it stood before 0027: no hashes anywhere.
  await db().updateTable('case_events').set({ prev_hash: null, hash: null }).execute();
  await db().updateTable('cases').set({ last_event_hash: null }).execute();
  await db().updateTable('audit_log').set({ prev_hash: null, hash: null }).execute();
  await db().deleteFrom('audit_heads').execute();
  assert.ok((await verifyAudit({ db: db() })).issues.length > 0, 'unhashed rows do not verify');

  await backfillChains(db() as unknown as Kysely<unknown>);
  assert.deepEqual(await hashes(), written, 'the same hashes the live writers computed');
  const report = await verifyAudit({ db: db() });
  assert.deepEqual(report.issues, []);
  assert.equal(report.events, 3 * 8);
});
