import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { makeAttachmentApp, phonePhoto, type AttachmentTestApp } from './attachment-app.ts';

// Over a real socket, where a body may come chunked with no Content-Length to judge it by.
const clock = fixedClock('2026-03-02T09:00:00+08:00');
const MAX = 64 * 1024;
let t: AttachmentTestApp;
let base: string;

before(async () => {
  t = await makeAttachmentApp(clock, { maxBytes: MAX });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
after(() => t.close());

function chunked(data: Buffer, size = 8 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.subarray(offset, offset + size));
      offset += size;
    },
  });
}

const post = (body: ReadableStream<Uint8Array>) =>
  fetch(`${base}/api/v1/attachments`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg' },
    body,
    duplex: 'half',
  } as RequestInit);

test('a chunked upload is read up to the limit and refused with 413 past it', async () => {
  const photo = await phonePhoto();
  assert.ok(photo.length < MAX);
  const ok = await post(chunked(photo, 512));
  assert.equal(ok.status, 201);
  const stored = (await ok.json()) as { url: string; upload_key: string; bytes: number };

  const tooBig = Buffer.concat([photo, Buffer.alloc(MAX, 0)]);
  const refused = await post(chunked(tooBig));
  assert.equal(refused.status, 413);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'attachment.too_large');

  const head = await fetch(`${base}${stored.url}?key=${stored.upload_key}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String(stored.bytes));
  assert.equal(head.headers.get('content-type'), 'image/jpeg');
  assert.equal((await head.arrayBuffer()).byteLength, 0);
});
