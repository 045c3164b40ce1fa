import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fixedClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps } from '../../src/http/deps.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
let app: FastifyInstance;
let bare: FastifyInstance;
let dir: string;
const SCRIPT = 'console.log("site");'.repeat(50);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shanzhi-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>善治</title><div id="root"></div>');
  writeFileSync(
    join(dir, 'console.html'),
    '<!doctype html><title>善治 · 工作台</title><div id="console"></div>',
  );
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  store = await makeTestStore();
  const deps = makeAppDeps(store, fixedClock('2026-03-01T08:00:00Z'), 0);
  app = await buildApp(deps, { logLevel: 'silent', webDir: dir });
  bare = await buildApp(deps, { logLevel: 'silent', webDir: join(dir, 'missing') });
});
after(async () => {
  await app.close();
  await bare.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('/ and the app’s own paths answer index.html, revalidated on every visit', async () => {
  for (const url of ['/', '/case/330106-20260302-00017', '/lookup?x=1', '/report']) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache', url);
    assert.match(res.body, /<div id="root">/);
  }
});

test('/console and every path under it answer console.html; a file name under it is a 404', async () => {
  for (const url of ['/console', '/console/', '/console/work/mine?q=1', '/console/cases/abc/print']) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['cache-control'], 'no-cache', url);
    assert.match(res.body, /<div id="console">/, url);
  }
  const missing = await app.inject({ url: '/console/app.js' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'route.not_found');
  const unbuilt = await bare.inject({ url: '/console/work/mine' });
  assert.equal(unbuilt.statusCode, 503);
});

test('hashed assets are immutable and precompressed where the client accepts it', async () => {
  const plain = await app.inject({ url: '/assets/index-abc123.js' });
  assert.equal(plain.statusCode, 200);
  assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(plain.body, SCRIPT);
  const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers['cache-control'], 'public, max-age=31536000, immutable');
  const icon = await app.inject({ url: '/favicon.svg' });
  assert.equal(icon.statusCode, 200);
  assert.equal(icon.headers['cache-control'], 'no-cache');
});

test('a missing asset is a 404, never the page', async () => {
  for (const url of ['/assets/index-old.js', '/missing.css', '/../package.json', '/%2e%2e/package.json']) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 404, url);
    assert.doesNotMatch(res.body, /<div id="root">/);
  }
});

test('the API, Open311, docs and health keep their own answers', async () => {
  const health = await app.inject({ url: '/healthz' });
  assert.deepEqual(health.json(), { status: 'ok' });
  assert.equal((await app.inject({ url: '/openapi.json' })).json().openapi.slice(0, 2), '3.');
  assert.match((await app.inject({ url: '/docs' })).body, /swagger/i);
  for (const url of ['/api/v1/nothing', '/api/v2', '/open311/v2/nothing.json', '/docs/assets/nothing.js']) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 404, url);
    assert.doesNotMatch(res.body, /<div id="root">/, url);
    // Open311 answers in its own error format (GeoReport v2); the rest in ours.
    if (!url.startsWith('/open311')) assert.equal(res.json().error.code, 'route.not_found', url);
  }
  const post = await app.inject({ method: 'POST', url: '/case/x' });
  assert.equal(post.statusCode, 404);
});

test('without a build the site says how to make one, in Chinese and English', async () => {
  const res = await bare.inject({ url: '/report' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build:web/);
  assert.match(res.body, /尚未构建/);
  assert.equal((await bare.inject({ url: '/healthz' })).statusCode, 200);
});
