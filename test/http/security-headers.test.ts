import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { fixedClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps } from '../../src/http/deps.ts';
import { MAIL_PAGE_STYLE } from '../../src/http/routes/followers.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
let app: FastifyInstance;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shanzhi-headers-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>善治</title><div id="root"></div>');
  writeFileSync(join(dir, 'console.html'), '<!doctype html><title>工作台</title><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
  store = await makeTestStore();
  await loadCounty(store);
  app = await buildApp(makeAppDeps(store, fixedClock('2026-03-01T08:00:00Z'), 0), {
    logLevel: 'silent',
    webDir: dir,
  });
});
after(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The CSP as a map of directive → sources. */
function policy(res: LightMyRequestResponse): Map<string, string[]> {
  const header = res.headers['content-security-policy'];
  assert.equal(typeof header, 'string', `CSP on ${res.raw.req.url}`);
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function assertSecurityHeaders(res: LightMyRequestResponse, where: string): void {
  assert.equal(res.headers['x-content-type-options'], 'nosniff', where);
  assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', where);
  assert.equal(res.headers['referrer-policy'], 'same-origin', where);
  assert.equal(res.headers['strict-transport-security'], 'max-age=15552000', where);
  assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', where);
  assert.equal(res.headers['x-powered-by'], undefined, where);
  assert.ok(res.headers['content-security-policy'], where);
}

test('the web pages get a strict CSP: scripts from this server only, never inline or eval', async () => {
  for (const url of ['/', '/console', '/console/cases/abc', '/lookup', '/assets/index-abc123.js']) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assertSecurityHeaders(res, url);
    const csp = policy(res);
    assert.deepEqual(csp.get('default-src'), ["'self'"], url);
    assert.deepEqual(csp.get('script-src'), ["'self'"], url);
    assert.deepEqual(csp.get('script-src-attr'), ["'none'"], url);
    assert.deepEqual(csp.get('object-src'), ["'none'"], url);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], url);
    assert.deepEqual(csp.get('base-uri'), ["'self'"], url);
    assert.deepEqual(csp.get('connect-src'), ["'self'"], url);
    // MapLibre's workers run from blob: URLs.
    assert.deepEqual(csp.get('worker-src'), ["'self'", 'blob:'], url);
    for (const [name, sources] of csp) {
      if (name === 'style-src-attr') continue;
      assert.ok(!sources.includes("'unsafe-inline'"), `${name} ${sources.join(' ')} on ${url}`);
      assert.ok(!sources.includes("'unsafe-eval'"), `${name} ${sources.join(' ')} on ${url}`);
    }
    // A plain-HTTP intranet server must not have its own requests upgraded.
    assert.equal(csp.has('upgrade-insecure-requests'), false, url);
  }
});

test('JSON answers, errors and Open311 carry the same headers', async () => {
  for (const url of [
    '/healthz',
    '/api/v1/regions/330106',
    '/api/v1/regions/1',
    '/api/v1/nothing-here',
    '/api/v1/me',
    '/openapi.json',
    '/open311/v2/discovery.json',
    '/open311/v2/services.xml',
  ]) {
    const res = await app.inject({ url });
    assertSecurityHeaders(res, url);
    assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
  }
  const posted = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: { 'content-type': 'application/json' },
    payload: '{"bad json',
  });
  assert.equal(posted.statusCode, 400);
  assertSecurityHeaders(posted, 'malformed JSON');
});

test('Open311 still answers outside clients as before: no CORS was there, none is added', async () => {
  const res = await app.inject({
    url: '/open311/v2/discovery.json',
    headers: { origin: 'https://app.example' },
  });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['access-control-allow-origin'], undefined);
  assert.ok(Array.isArray(res.json().endpoints));
});

test('the API docs page has no inline script: its start-up code is a file of this server', async () => {
  const page = await app.inject({ url: '/docs' });
  assert.equal(page.statusCode, 200);
  assertSecurityHeaders(page, '/docs');
  const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 2);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes!, /\ssrc="\/docs\/assets\/[\w.-]+\.js"/);
    assert.equal(body!.trim(), '');
  }
  const start = await app.inject({ url: '/docs/assets/docs.js' });
  assert.equal(start.statusCode, 200);
  assert.match(String(start.headers['content-type']), /^application\/javascript/);
  assert.match(start.body, /SwaggerUIBundle\(\{ url: '\/openapi\.json'/);
});

test('the mail pages’ one <style> is allowed by its hash, and nothing else inline', async () => {
  const res = await app.inject({ url: '/mail/confirm?token=abc' });
  assert.equal(res.statusCode, 200);
  const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1];
  assert.equal(style, MAIL_PAGE_STYLE);
  const hash = `'sha256-${createHash('sha256').update(style!).digest('base64')}'`;
  assert.deepEqual(policy(res).get('style-src'), ["'self'", hash]);
  assert.doesNotMatch(res.body, /<script/);
});
