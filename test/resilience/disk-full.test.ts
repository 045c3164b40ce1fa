import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openStore, SQLITE_FILE } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { seedXihu } from '../helpers/actors.ts';
import { call, signIn, startServer, stopServer } from '../helpers/crash.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { IN_GRID, SHANGBAO } from '../helpers/scenario.ts';
import type { ServerProcess } from '../helpers/server.ts';

// A full disk under the embedded store: the data directory on a small tmpfs, filled to the last
// byte while the real server runs. Writes are refused cleanly (507 store.full in the contract's
// error shape, never a 500), reads go on, the database passes PRAGMA integrity_check, and once
// space is freed the same server takes writes again, without a restart. SQLite is the case that
// matters: PostgreSQL's disk is its server's, not ours (a disk_full there maps to the same code),
// so with DATABASE_URL set this file has nothing of its own to prove and skips.

const root = mkdtempSync(join(tmpdir(), 'shanzhi-full-'));
let mounted = false;
let why = '';
if (process.env.DATABASE_URL) why = 'PostgreSQL: its disk is not the data directory (SQLite only)';
else {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', root], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    why = `cannot mount a small tmpfs here (${String((error as Error).message).split('\n')[0]})`;
  }
}
after(() => {
  if (mounted) execFileSync('umount', ['-l', root]);
  rmSync(root, { recursive: true, force: true });
});

/** Fills the filesystem of `dir` to the last byte it will take; answers the filler's path. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x55);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

function integrity(dir: string): string {
  const db = new BetterSqlite3(join(dir, SQLITE_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string).toString();
  } finally {
    db.close();
  }
}

test(
  'a full disk gets clean refusals, no corruption, and the server takes writes again when space returns',
  { skip: why || false },
  async (t) => {
    const dataDir = join(root, 'data');
    const store = openStore({ dataDir });
    const clock = fixedClock('2026-03-02T09:00:00+08:00');
    await migrateToLatest(store);
    await seedXihu({ ...store, dataDir }, clock);
    await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
    await importGrids({ store, clock }, collection(gridFeature(SHANGBAO, 1, square(120.1, 30.2))));
    await store.close();

    let server: ServerProcess | undefined = await startServer({
      SHANZHI_DATA_DIR: dataDir,
      DATABASE_URL: '',
      SHANZHI_DEMO: '0',
      SHANZHI_MIN_FREE_MB: '0',
      SHANZHI_MAIL_SECONDS: '0',
    });
    try {
      const token = await signIn(server.url, 'resident');
      const staff = await signIn(server.url, 'county.center');
      const report = (n: number) =>
        call(server!.url, 'POST', '/api/v1/cases', {
          token,
          body: {
            channel: 'web',
            category: 'SJ0102',
            title: `满盘 ${n}`,
            description: '磁盘写满时上报',
            location: IN_GRID,
          },
          headers: { 'idempotency-key': randomUUID() },
        });
      const acknowledged: string[] = [];
      const first = await report(0);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      acknowledged.push(first.body.id);

      const filler = fill(root);
      // Writes until the store needs a page the disk no longer has (the WAL may have room left).
      const refusals: Array<{ status: number; body: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
      let n = 1;
      for (; n <= 400 && refusals.length < 10; n++) {
        const res = await report(n);
        if (res.status === 201) acknowledged.push(res.body.id);
        else refusals.push(res);
      }
      assert.ok(refusals.length >= 10, `only ${refusals.length} refusals in ${n - 1} writes on a full disk`);
      for (const r of refusals) {
        assert.equal(r.status, 507, `${JSON.stringify(r.body)}\n${server.output().slice(-3000)}`);
        assert.equal(r.body.error.code, 'store.full');
        assert.match(r.body.error.message, /磁盘/);
        assert.match(r.body.error.message_en, /disk/i);
        assert.doesNotMatch(JSON.stringify(r.body), /SQLITE|at .*\.ts:\d+/);
      }
      // A workflow step is refused the same way, and reads go on.
      const c = await call(server.url, 'GET', `/api/v1/cases/${acknowledged[0]}`, { token: staff });
      assert.equal(c.status, 200, JSON.stringify(c.body));
      const step = await call(server.url, 'POST', `/api/v1/cases/${acknowledged[0]}/actions`, {
        token: staff,
        body: { action: 'register', expected_version: c.body.version },
      });
      assert.equal(step.status, 507, JSON.stringify(step.body));
      assert.equal((await call(server.url, 'GET', '/healthz')).status, 200);
      assert.equal(integrity(dataDir), 'ok', 'integrity on a full disk');

      // Space returns: the same process writes again.
      rmSync(filler);
      const again = await report(n);
      assert.equal(again.status, 201, JSON.stringify(again.body));
      acknowledged.push(again.body.id);
      const retried = await call(server.url, 'POST', `/api/v1/cases/${acknowledged[0]}/actions`, {
        token: staff,
        body: { action: 'register', expected_version: c.body.version },
      });
      assert.equal(retried.status, 200, JSON.stringify(retried.body));
      for (const id of acknowledged) {
        const got = await call(server.url, 'GET', `/api/v1/cases/${id}`, { token: staff });
        assert.equal(got.status, 200, `acknowledged ${id}: ${JSON.stringify(got.body)}`);
      }
      assert.equal(await stopServer(server), 0, server.output().slice(-2000));
      server = undefined;
      assert.equal(integrity(dataDir), 'ok', 'integrity after the stop');
      t.diagnostic(
        `${acknowledged.length} writes acknowledged, ${refusals.length} refused with 507 store.full`,
      );
    } finally {
      if (server) {
        server.process.kill('SIGKILL');
        await server.exited;
      }
    }
  },
);
