import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps } from '../../src/http/deps.ts';
import { makeTestStore } from '../helpers/store.ts';

test('request logs are JSON lines naming the path, without query string, client address or credentials', async () => {
  const store = await makeTestStore();
  const lines: string[] = [];
  const app = await buildApp(makeAppDeps(store, fixedClock('2026-03-01T08:00:00Z')), {
    logLevel: 'info',
    logStream: { write: (line) => void lines.push(line) },
  });
  try {
    await app.inject({
      url: '/api/v1/locate?lon=120.1234&lat=30.2345&phone=13800138000',
      headers: { authorization: 'Bearer secret-token-123' },
    });
    assert.ok(lines.length >= 2, 'a request and a response line');
    const text = lines.join('');
    for (const secret of ['120.1234', '13800138000', 'secret-token-123', '127.0.0.1']) {
      assert.ok(!text.includes(secret), `log contains ${secret}`);
    }
    const entries = lines.map((l) => JSON.parse(l));
    assert.ok(entries.some((e) => e.req?.path === '/api/v1/locate'));
  } finally {
    await app.close();
    await store.close();
  }
});
