import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
const clock = fixedClock('2026-03-01T08:00:00Z');

before(async () => {
  t = await makeTestApp(async (store) => {
    await loadCounty(store, '330106');
    const [a, b] = (await listWithin(store.db, '330106', 'community')).map((c) => c.code) as [string, string];
    const grids = [];
    for (let i = 1; i <= 20; i++) grids.push(gridFeature(i <= 10 ? a : b, i, square(120 + i * 0.01, 30.2)));
    await importGrids({ store, clock }, collection(...grids));
  });
});
after(() => t.close());

test('large answers go gzip-compressed to clients that accept it, and decompress to the same body', async () => {
  const plain = await t.app.inject('/api/v1/grids?within=330106');
  assert.equal(plain.headers['content-encoding'], undefined);
  const gz = await t.app.inject({
    url: '/api/v1/grids?within=330106',
    headers: { 'accept-encoding': 'gzip, br' },
  });
  assert.equal(gz.statusCode, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers['content-type'], 'application/geo+json; charset=utf-8');
  assert.match(String(gz.headers.vary), /accept-encoding/i);
  const body = gunzipSync(gz.rawPayload).toString('utf8');
  assert.deepEqual(JSON.parse(body), plain.json());
  assert.ok(
    gz.rawPayload.length < plain.rawPayload.length / 3,
    `${gz.rawPayload.length} of ${plain.rawPayload.length}`,
  );
});

test('small answers go as they are', async () => {
  const res = await t.app.inject({ url: '/healthz', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-encoding'], undefined);
  assert.deepEqual(res.json(), { status: 'ok' });
});
