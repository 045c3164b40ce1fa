import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { countySource } from '../helpers/regions.ts';
import { KEY, postForm } from './helpers.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
let t: TestApp;

before(async () => {
  t = await makeTestApp(
    async (store) => {
      await seedDemo({ store, clock }, { password: 'demo', source: countySource('330106'), cases: 0 });
    },
    { clock },
  );
});
after(() => t.close());

test('the demo database accepts demo-open311-key and has definitions for some services', async () => {
  const res = await postForm(t, '/open311/v2/requests.json', {
    api_key: KEY,
    service_code: 'SJ0401',
    lat: '30.27',
    long: '120.13',
    description: '路面塌陷一米见方',
    'attribute[area_m2]': '1',
    'attribute[lanes_blocked]': 'yes',
    'attribute[first_seen]': '2026-03-02T08:30:00+08:00',
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.json()[0].service_request_id, /^330106-20260302-\d{5}$/);
  const services = (await t.app.inject({ url: '/open311/v2/services.json' })).json() as Array<{
    metadata: boolean;
  }>;
  assert.equal(services.filter((s) => s.metadata).length, 4);
});
