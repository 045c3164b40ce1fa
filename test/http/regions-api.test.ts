import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { loadCounty } from '../helpers/regions.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp((store) => loadCounty(store, '330106'));
});
after(() => t.close());

test('GET /api/v1/regions/330106 is 西湖区 with the path 浙江省 › 杭州市', async () => {
  const res = await t.app.inject('/api/v1/regions/330106');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.code, '330106000000');
  assert.equal(body.name, '西湖区');
  assert.equal(body.level, 'county');
  assert.equal(body.parent_code, '330100000000');
  assert.deepEqual(body.path, [
    { code: '330000000000', name: '浙江省', level: 'province' },
    { code: '330100000000', name: '杭州市', level: 'city' },
  ]);
});

test('children of a township are its communities', async () => {
  const res = await t.app.inject('/api/v1/regions/330106002/children');
  assert.equal(res.statusCode, 200);
  const { parent, children } = res.json();
  assert.equal(parent.name, '北山街道');
  assert.ok(children.length > 5);
  assert.ok(
    children.every(
      (c: { level: string; code: string }) => c.level === 'community' && c.code.startsWith('330106002'),
    ),
  );
});

test('search by name answers regions with their paths', async () => {
  const res = await t.app.inject('/api/v1/regions?q=' + encodeURIComponent('北山'));
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().items[0].name, '北山街道');
});

test('a malformed code is a 400 with the error in Chinese and English', async () => {
  const res = await t.app.inject('/api/v1/regions/33010');
  assert.equal(res.statusCode, 400);
  const { error } = res.json();
  assert.equal(error.code, 'request.invalid');
  assert.match(error.message, /请求参数有误/);
  assert.match(error.message_en, /Invalid request/);
});

test('an unknown region is a 404 region.not_found', async () => {
  const res = await t.app.inject('/api/v1/regions/330199');
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'region.not_found');
  assert.match(res.json().error.message, /找不到行政区划/);
});

test('an unknown route is a 404 in the same error shape', async () => {
  const res = await t.app.inject('/api/v1/nothing');
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'route.not_found');
});
