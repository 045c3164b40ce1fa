import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { recordAudit } from '../../src/accounts/record-audit.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openStore, type Store } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { makeCase } from '../helpers/cases.ts';

// The CLI runs as `npx shanzhi` would, on its own embedded store.
let dir: string;
let anchors: string;
const ids: string[] = [];
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/shanzhi.js', ...args], {
    env: { ...process.env, SHANZHI_DATA_DIR: dir, DATABASE_URL: '', SHANZHI_AUDIT_ANCHOR_FILE: anchors },
    encoding: 'utf8',
  });

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore({ dataDir: dir });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shanzhi-audit-cli-'));
  anchors = join(dir, 'anchors.jsonl');
  // Long past, so that `audit anchor` (the system clock) has complete days to anchor.
  const clock = fixedClock('2025-06-01T10:00:00+08:00');
  await withStore(async (store) => {
    await migrateToLatest(store);
    for (let i = 0; i < 2; i++)
      ids.push((await makeCase({ db: store.db, keyring: store.keyring, clock })).id);
    await recordAudit(store.db, {
      actor: null,
      action: 'user.create',
      target_type: 'user',
      target_id: 'u-1',
      details: { roles: ['admin'] },
      at: clock.now(),
    });
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('audit anchor anchors the past days, to the database and the anchor file; audit verify passes', () => {
  const anchored = run('audit', 'anchor');
  assert.equal(anchored.status, 0, anchored.stderr);
  assert.match(anchored.stderr, /anchored \d+ days \(2025-06-01 to /);
  const lines = readFileSync(anchors, 'utf8').trim().split('\n');
  assert.equal(JSON.parse(lines[0]!).period, '2025-06-01');
  const verified = run('audit', 'verify');
  assert.equal(verified.status, 0, verified.stderr);
  assert.match(verified.stderr, /verified: 2 events of 2 cases, 1 audit_log rows and \d+ anchors are intact/);
  assert.equal(run('audit', 'anchor').status, 0, 'nothing more to anchor is no failure');
});

test('audit verify exits 1 and names the event that was changed; --case checks one case', async () => {
  await withStore((store) =>
    store.db
      .updateTable('case_events')
      .set({ actor_username: 'forger' })
      .where('case_id', '=', ids[0]!)
      .execute(),
  );
  const res = run('audit', 'verify');
  assert.equal(res.status, 1);
  assert.ok(res.stdout.includes(`case ${ids[0]} version 1: the event does not match its hash`), res.stdout);
  assert.match(res.stdout, /\[event\.changed\]/);
  assert.match(res.stderr, /verification failed: 1 problem\(s\) found/);
  assert.equal(run('audit', 'verify', '--case', ids[1]!).status, 0);
  assert.equal(run('audit', 'verify', '--case', ids[0]!).status, 1);
});
