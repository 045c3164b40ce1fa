import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/db/database.ts';
import { spawnServer, waitHealthy } from '../helpers/server.ts';

// These tests are about the embedded store, so they use SQLite whatever DATABASE_URL says.

/**
 * Runs a fixture that writes and prints "committed", kills it with -9 as soon as it has, and hands
 * the store reopened on its data directory to `check`, which reads what survived.
 */
async function afterKill(fixture: string, check: (store: Store) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-kill-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('committed') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    const store = openStore({ dataDir: dir });
    try {
      await check(store);
      const integrity = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(store.db);
      assert.equal(integrity.rows[0]?.integrity_check, 'ok');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a committed write on the embedded store survives kill -9 of the process that made it', async () => {
  await afterKill('test/fixtures/commit-then-wait.ts', async (store) => {
    const { n } = await store.db
      .selectFrom('grids')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), 50);
  });
});

test('writes acknowledged from a shared (grouped) commit survive kill -9 of the process that made them', async () => {
  await afterKill('test/fixtures/group-commit-then-wait.ts', async (store) => {
    const { n } = await store.db
      .selectFrom('meta')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', 'like', 'acked-%')
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), 40);
  });
});

test('a server killed with -9 after seeding restarts on the same data directory with its data intact', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shanzhi-kill-server-'));
  const env = { SHANZHI_DATA_DIR: dir, DATABASE_URL: '' };
  try {
    const first = await spawnServer(env);
    await waitHealthy(first);
    const before = await (await fetch(`${first.url}/api/v1/locate?lon=120.13&lat=30.27`)).json();
    first.process.kill('SIGKILL');
    await first.exited;

    const second = await spawnServer(env);
    try {
      await waitHealthy(second);
      assert.doesNotMatch(second.output(), /seeding/, 'the demo is not seeded twice');
      const after = await (await fetch(`${second.url}/api/v1/locate?lon=120.13&lat=30.27`)).json();
      assert.deepEqual(after, before);
      assert.equal(after.region.path[2].name, '西湖区');
    } finally {
      second.process.kill('SIGTERM');
      assert.equal(await second.exited, 0, 'SIGTERM shuts down cleanly');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
