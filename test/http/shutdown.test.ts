import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeTestApp } from '../helpers/app.ts';

test('closing the server lets a request in flight finish before it stops', async () => {
  const t = await makeTestApp();
  let release!: () => void;
  const started = new Promise<void>((resolve) => {
    t.app.get('/slow', async () => {
      resolve();
      await new Promise<void>((r) => (release = r));
      return { done: true };
    });
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as { port: number };
  const response = fetch(`http://127.0.0.1:${address.port}/slow`);
  await started;
  let closed = false;
  const closing = t.app.close().then(() => (closed = true));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(closed, false, 'close waits for the request in flight');
  release();
  const res = await response;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { done: true });
  await closing;
  assert.equal(closed, true);
  await t.store.close();
});
