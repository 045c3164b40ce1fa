import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { hashApiKey } from '../../src/open311/api-key-rows.ts';
import { loadCounty } from '../helpers/regions.ts';

// The CLI runs as `npx shanzhi` would, on its own embedded store, acting as the system.
let dir: string;
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/shanzhi.js', ...args], {
    env: { ...process.env, SHANZHI_DATA_DIR: dir, DATABASE_URL: '' },
    encoding: 'utf8',
  });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shanzhi-open311-cli-'));
  const store = openStore({ dataDir: dir });
  try {
    await migrateToLatest(store);
    await loadCounty(store, '330106');
  } finally {
    await store.close();
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('open311 issue-key prints the key once; keys lists it without the key; set-rate and revoke-key change it', async () => {
  const issued = run(
    'open311',
    'issue-key',
    '--label',
    '随手拍',
    '--region',
    '330106',
    '--rights',
    'requests,updates',
    '--rate',
    '30',
  );
  assert.equal(issued.status, 0, issued.stderr);
  const key = issued.stdout.trim();
  assert.match(key, /^o311_/);
  const id = /issued key (\S+)/.exec(issued.stderr)![1]!;

  const listed = run('open311', 'keys', '--region', '330106');
  assert.equal(listed.status, 0, listed.stderr);
  assert.ok(!listed.stdout.includes(key));
  const [view] = JSON.parse(listed.stdout);
  assert.deepEqual([view.id, view.rights, view.rate_per_minute], [id, ['requests', 'updates'], 30]);

  assert.equal(run('open311', 'set-rate', id, '5').status, 0);
  const revoked = run('open311', 'revoke-key', id);
  assert.equal(revoked.status, 0, revoked.stderr);
  const store = openStore({ dataDir: dir });
  try {
    const row = await store.db
      .selectFrom('open311_api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.key_hash, hashApiKey(key));
    assert.equal(row.rate_per_minute, 5);
    assert.ok(row.revoked_at);
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username'])
      .where('target_id', '=', id)
      .execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), [
      'open311.key_change',
      'open311.key_issue',
      'open311.key_revoke',
    ]);
  } finally {
    await store.close();
  }
});

test('open311 issue-key refuses an unknown right with a one-line reason', () => {
  const res = run('open311', 'issue-key', '--label', 'x', '--region', '330106', '--rights', 'everything');
  assert.equal(res.status, 1);
  assert.match(res.stderr, /rights/);
});
