import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp();
});
after(() => t.close());

test('GET /healthz answers 200 {"status":"ok"}', async () => {
  const res = await t.app.inject('/healthz');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
});

test('the OpenAPI document lists every /api/v1 route with its parameters and the error shape', async () => {
  const res = await t.app.inject('/openapi.json');
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  for (const path of [
    '/api/v1/regions',
    '/api/v1/regions/{code}',
    '/api/v1/regions/{code}/children',
    '/api/v1/locate',
  ]) {
    assert.ok(doc.paths[path]?.get, `missing ${path}`);
  }
  const locate = doc.paths['/api/v1/locate'].get;
  assert.deepEqual(
    locate.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]),
    [
      ['lon', 'query', true],
      ['lat', 'query', true],
    ],
  );
  const error = locate.responses['4XX'].content['application/json'].schema;
  assert.ok(JSON.stringify(error).includes('message_en'));
  const region = doc.paths['/api/v1/regions/{code}'].get.responses['200'].content['application/json'].schema;
  assert.ok(JSON.stringify(region).includes('parent_code'));
  // Open311 and its test endpoint come from the same route registry, errors in the spec's format.
  for (const base of ['/open311/v2', '/open311/test/v2']) {
    const requests = doc.paths[`${base}/requests.xml`];
    assert.ok(requests?.get && requests.post, `missing ${base}/requests.xml`);
    assert.ok(requests.post.requestBody.content['multipart/form-data']);
    assert.ok(doc.paths[`${base}/services/{file}`]?.get, `missing ${base}/services/{file}`);
    const refused = requests.get.responses['4XX'].content['application/json'].schema;
    assert.ok(
      JSON.stringify(refused).includes('description') && !JSON.stringify(refused).includes('message_en'),
    );
  }
  assert.ok(doc.paths['/open311/v2/servicerequestupdates.json']?.post);
  assert.equal(doc.paths['/open311/test/v2/servicerequestupdates.json'], undefined);
});

test('the docs page and its assets are served from the package, without a CDN', async () => {
  const page = await t.app.inject('/docs');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /https?:\/\//);
  // No inline script (the CSP forbids it): the page's own script points Swagger UI at the spec.
  assert.doesNotMatch(page.body, /<script>/);
  const own = await t.app.inject('/docs/assets/docs.js');
  assert.equal(own.statusCode, 200);
  assert.match(own.body, /openapi\.json/);
  const script = await t.app.inject('/docs/assets/swagger-ui-bundle.js');
  assert.equal(script.statusCode, 200);
  assert.ok(script.body.length > 100_000);
  assert.equal((await t.app.inject('/docs/assets/..%2Fpackage.json')).statusCode, 404);
});

test('a malformed JSON body is a 400 in the error shape', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/regions',
    headers: { 'content-type': 'application/json' },
    payload: '{bad',
  });
  assert.ok(res.statusCode === 400 || res.statusCode === 404, String(res.statusCode));
  assert.ok(res.json().error.code);
});
