import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareDataDir } from '../../src/db/data-dir.ts';
import { spawnServer, waitHealthy } from '../helpers/server.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'shanzhi-dir-'));

test('a data directory that does not exist yet is created', () => {
  const dir = tempDir();
  try {
    const path = prepareDataDir({ dir: join(dir, 'a', 'b'), minFreeMb: 1 });
    assert.ok(path.endsWith(join('a', 'b')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a data directory path that is a file is refused as unusable', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'file'), 'x');
    assert.throws(() => prepareDataDir({ dir: join(dir, 'file'), minFreeMb: 1 }), {
      code: 'datadir.unusable',
    });
    assert.throws(() => prepareDataDir({ dir: join(dir, 'file', 'below'), minFreeMb: 1 }), {
      code: 'datadir.unusable',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a disk with less free space than required is refused as full', () => {
  const dir = tempDir();
  try {
    assert.throws(
      () => prepareDataDir({ dir, minFreeMb: 1024 ** 3 }),
      (e: { code: string; details: object }) => {
        assert.equal(e.code, 'datadir.full');
        assert.ok('free_mb' in e.details);
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second server on the same data directory exits non-zero with a one-line reason', async () => {
  const dir = tempDir();
  const env = { SHANZHI_DATA_DIR: dir, SHANZHI_DEMO: '0', DATABASE_URL: '' };
  const first = await spawnServer(env);
  try {
    await waitHealthy(first);
    const second = await spawnServer(env);
    assert.equal(await second.exited, 1);
    const lines = second.output().trim().split('\n');
    assert.equal(lines.length, 1, second.output());
    assert.match(lines[0]!, /正被另一个运行中的服务使用.*in use by another running server \(pid \d+\)/);
  } finally {
    first.process.kill('SIGTERM');
    await first.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server refuses to start on a full disk, with the reason in Chinese and English', async () => {
  const dir = tempDir();
  try {
    const server = await spawnServer({
      SHANZHI_DATA_DIR: dir,
      SHANZHI_MIN_FREE_MB: String(1024 ** 3),
      SHANZHI_DEMO: '0',
    });
    assert.equal(await server.exited, 1);
    assert.match(server.output(), /空间不足.*Not enough disk space/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
