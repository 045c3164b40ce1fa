import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DiskBlobStorage } from '../../src/attachments/disk-storage.ts';

const root = mkdtempSync(join(tmpdir(), 'shanzhi-blobs-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function text(storage: DiskBlobStorage, key: string) {
  const opened = await storage.stream(key);
  if (!opened) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  return { text: Buffer.concat(chunks).toString(), bytes: opened.bytes };
}

test('a blob is put, read whole or as a stream, replaced and deleted by its key', async () => {
  const storage = await DiskBlobStorage.open(join(root, 'a'));
  await storage.put('ab/abc.jpg', Buffer.from('first'));
  assert.equal((await storage.get('ab/abc.jpg'))?.toString(), 'first');
  await storage.put('ab/abc.jpg', Buffer.from('second version'));
  assert.deepEqual(await text(storage, 'ab/abc.jpg'), { text: 'second version', bytes: 14 });
  await storage.delete('ab/abc.jpg');
  assert.equal(await storage.get('ab/abc.jpg'), null);
  assert.equal(await storage.stream('ab/abc.jpg'), null);
  await storage.delete('ab/abc.jpg'); // deleting twice is fine
});

test('a write that fails half way leaves neither the file nor a temporary file behind', async () => {
  const storage = await DiskBlobStorage.open(join(root, 'b'));
  async function* dying() {
    yield Buffer.alloc(64 * 1024, 1);
    yield Buffer.alloc(64 * 1024, 2);
    throw new Error('connection lost');
  }
  await assert.rejects(storage.put('cd/half.jpg', dying()), /connection lost/);
  assert.equal(await storage.get('cd/half.jpg'), null);
  assert.equal(existsSync(join(storage.root, 'cd', 'half.jpg')), false);
  assert.deepEqual(readdirSync(join(storage.root, '.tmp')), []);

  // A replacement that dies keeps the complete old file.
  await storage.put('cd/whole.jpg', Buffer.from('complete'));
  await assert.rejects(storage.put('cd/whole.jpg', dying()), /connection lost/);
  assert.equal((await storage.get('cd/whole.jpg'))?.toString(), 'complete');
});

test('temporary files a crash left behind are never served and are removed when the store opens', async () => {
  const dir = join(root, 'c');
  const storage = await DiskBlobStorage.open(dir);
  const stale = join(dir, '.tmp', 'deadbeef.part');
  const fresh = join(dir, '.tmp', 'cafebabe.part');
  writeFileSync(stale, 'half a photo');
  writeFileSync(fresh, 'an upload in progress');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  utimesSync(stale, twoHoursAgo, twoHoursAgo);
  await assert.rejects(storage.get('.tmp/deadbeef.part'), /invalid blob key/);
  await DiskBlobStorage.open(dir); // the server starting again
  assert.deepEqual(readdirSync(join(dir, '.tmp')), ['cafebabe.part']);
});

test('keys cannot leave the store', async () => {
  const storage = await DiskBlobStorage.open(join(root, 'd'));
  for (const key of ['../x', 'a/../../x', '/etc/passwd', 'A/B', '', 'a//b', '.tmp/x']) {
    await assert.rejects(storage.put(key, Buffer.from('x')), /invalid blob key/, key);
  }
});
