import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Scenario, type Json } from '../helpers/scenario.ts';

let s: Scenario;
before(async () => {
  s = await Scenario.start();
});
after(() => s.close());

const HOUR = 3_600_000;

async function list(username: string, query: string): Promise<Json> {
  const res = await s.t.app.inject({
    url: `/api/v1/cases?limit=200&${query}`,
    headers: await s.headers(username),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

async function ids(username: string, query: string): Promise<string[]> {
  return ((await list(username, query)).items as Json[]).map((c) => c.id as string);
}

test('my queue holds the cases waiting for my step, by the transition table', async () => {
  s.at('2026-03-02 09:00');
  const a = await s.report({ title: '路灯不亮' });
  const b = await s.report({ title: '井盖缺失' });
  await s.act('county.center', a.id, { action: 'register' });
  await s.act('county.center', a.id, { action: 'dispatch' });

  // Dispatched to 城管: the department's to accept, no longer the centre's.
  assert.ok((await ids('dept.urban', 'assigned_to=me')).includes(a.id));
  assert.ok(!(await ids('dept.urban', 'assigned_to=me')).includes(b.id));
  assert.ok(!(await ids('dept.market', 'assigned_to=me')).includes(a.id));
  const centre = await ids('county.center', 'assigned_to=me');
  assert.ok(centre.includes(b.id), 'a new report waits for the dispatcher');
  assert.ok(!centre.includes(a.id));
  assert.ok(!(await ids('grid.worker', 'assigned_to=me')).includes(b.id));

  // Returned: back in the centre's queue, and in its "returned to me" list.
  await s.act('dept.urban', a.id, { action: 'return', reason: '不属于本部门职责' });
  assert.ok((await ids('county.center', 'assigned_to=me')).includes(a.id));
  assert.deepEqual(await ids('county.center', 'assigned_to=me&returned=true'), [a.id]);
  assert.ok(!(await ids('dept.urban', 'assigned_to=me')).includes(a.id));

  // Whistled: the summoned department must report in.
  await s.act('township.handler', a.id, { action: 'whistle', departments: ['dept-330106-housing'] });
  assert.ok((await ids('dept.housing', 'assigned_to=me')).includes(a.id));
  assert.deepEqual(await ids('dept.housing', 'summoned=true'), [a.id], 'the whistles it must report in to');
  assert.deepEqual(await ids('dept.urban', 'summoned=true'), []);
  await s.act('dept.housing', a.id, { action: 'report_in' });
  assert.ok(!(await ids('dept.housing', 'assigned_to=me')).includes(a.id));
  assert.deepEqual(await ids('dept.housing', 'summoned=true'), []);

  // Every case in a queue offers the actor a step (allowed_actions of the case page).
  for (const username of ['county.center', 'dept.urban', 'township.handler']) {
    for (const id of await ids(username, 'assigned_to=me')) {
      const res = await s.t.app.inject({ url: `/api/v1/cases/${id}`, headers: await s.headers(username) });
      assert.ok(res.json().allowed_actions.length > 0, `${username} can act on ${id}`);
    }
  }
});

test('supervised lists only the cases a centre supervised', async () => {
  s.at('2026-03-03 09:00');
  const c = await s.report({ title: '噪音扰民' });
  const d = await s.report({ title: '占道经营' });
  await s.act('county.center', c.id, { action: 'supervise', reason: '群众反映强烈，请加快办理' });
  const supervised = await ids('county.center', 'supervised=true');
  assert.ok(supervised.includes(c.id));
  assert.ok(!supervised.includes(d.id));
});

test('due soon, overdue and the traffic light follow the running clock', async () => {
  s.at('2026-03-04 09:00');
  const e = await s.report({ title: '垃圾满溢' });
  const start = (await list('county.center', 'status=reported')).items as Json[];
  const item = start.find((c) => c.id === e.id)!;
  assert.equal(item.clock.light, 'green');
  assert.equal(item.clock.used_percent, 0);
  const now = new Date(s.clock.now()).getTime();
  const left = new Date(item.stage_deadline).getTime() - now;
  assert.ok(left > HOUR, `registration takes over an hour (${left} ms)`);
  // Registration runs in working hours; a case reported on a working morning has them in a row.
  assert.equal(item.clock.remaining_ms, left);

  const within = Math.ceil(left / HOUR);
  const due = (await list('county.center', `due_within=${within}`)).items as Json[];
  assert.ok(due.some((c) => c.id === e.id));
  for (const c of due) {
    const at = new Date(c.stage_deadline).getTime();
    assert.ok(at >= now && at <= now + within * HOUR, `${c.reference} is due within ${within} h`);
  }
  if (within > 1) assert.ok(!(await ids('county.center', `due_within=${within - 1}`)).includes(e.id));

  // Four fifths of the limit used: red, not yet overdue.
  s.clock.set(new Date(now + Math.ceil(left * 0.85)).toISOString());
  const late = ((await list('county.center', 'status=reported')).items as Json[]).find((c) => c.id === e.id)!;
  assert.equal(late.clock.light, 'red');
  assert.equal(late.overdue, false);

  s.clock.set(new Date(now + left + HOUR).toISOString());
  const over = (await list('county.center', 'overdue=true')).items as Json[];
  const mine = over.find((c) => c.id === e.id)!;
  assert.equal(mine.overdue, true);
  assert.equal(mine.clock.light, 'red');
  assert.ok(mine.clock.used_percent >= 100);
  assert.ok(mine.clock.remaining_ms < 0);
  assert.ok(!(await ids('county.center', 'due_within=24')).includes(e.id), 'overdue is not "due soon"');
});

test('channel lists only the cases that came in by it', async () => {
  s.at('2026-03-03 09:30');
  const web = await s.report({ title: '路灯不亮' });
  const res = await s.postReport('county.center', { channel: 'hotline', title: '路灯不亮（热线）' });
  assert.equal(res.statusCode, 201, res.body);
  const hotline = res.json().id as string;
  const byHotline = await ids('county.center', 'channel=hotline');
  assert.ok(byHotline.includes(hotline));
  assert.ok(!byHotline.includes(web.id));
  const byWeb = await ids('county.center', 'channel=web');
  assert.ok(byWeb.includes(web.id) && !byWeb.includes(hotline));
});

test('q searches words of the title and description, and a reference number, through the list and its export', async () => {
  s.at('2026-03-03 10:00');
  const noise = await s.report({ title: '夜间施工噪音', description: '工地凌晨两点还在打桩' });
  const lamp = await s.report({ title: '路灯不亮', description: '小区门口路灯坏了三天' });
  assert.deepEqual(await ids('county.center', `q=${encodeURIComponent('打桩 噪音')}`), [noise.id]);
  assert.deepEqual(await ids('county.center', `q=${encodeURIComponent('路灯坏了')}`), [lamp.id]);
  const reference = ((await list('county.center', `q=${encodeURIComponent('路灯坏了')}`)).items as Json[])[0]!
    .reference as string;
  assert.deepEqual(await ids('county.center', `q=${encodeURIComponent(reference)}`), [lamp.id]);
  const exported = await s.t.app.inject({
    url: `/api/v1/cases/export.xlsx?q=${encodeURIComponent('打桩')}`,
    headers: await s.headers('county.center'),
  });
  assert.equal(exported.statusCode, 200);
  const spec = (await s.t.app.inject({ url: '/openapi.json' })).json();
  const params = (spec.paths['/api/v1/cases'].get.parameters as Json[]).map((p) => p.name);
  assert.ok(params.includes('q'), 'q is in /openapi.json');
  for (const q of ['', '%20%20', 'x'.repeat(101)]) {
    const res = await s.t.app.inject({
      url: `/api/v1/cases?q=${q}`,
      headers: await s.headers('county.center'),
    });
    assert.equal(res.statusCode, 400, `q=${q}: ${res.body}`);
  }
});

test('a bad worklist filter is a 400, never a 500', async () => {
  for (const query of [
    'channel=fax',
    'assigned_to=you',
    'due_within=0',
    'due_within=abc',
    'returned=yes',
    'summoned=1',
  ]) {
    const res = await s.t.app.inject({
      url: `/api/v1/cases?${query}`,
      headers: await s.headers('county.center'),
    });
    assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
  }
});

test('a polled list answers 304 while nothing changed, and the new list once something did', async () => {
  s.at('2026-03-05 09:00');
  const f = await s.report({ title: '楼道堆物' });
  const headers = await s.headers('county.center');
  const url = '/api/v1/cases?assigned_to=me';
  const first = await s.t.app.inject({ url, headers });
  assert.equal(first.statusCode, 200);
  const etag = String(first.headers.etag);
  assert.match(etag, /^"[\w-]{27}"$/);
  assert.equal(first.headers['cache-control'], 'private, no-cache');
  const again = await s.t.app.inject({ url, headers: { ...headers, 'if-none-match': etag } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');

  await s.act('county.center', f.id, { action: 'register' });
  const changed = await s.t.app.inject({ url, headers: { ...headers, 'if-none-match': etag } });
  assert.equal(changed.statusCode, 200);
  assert.notEqual(changed.headers.etag, etag);
  // Another user's list is its own: the tag of one is never the other's answer.
  const other = await s.t.app.inject({
    url,
    headers: { ...(await s.headers('dept.urban')), 'if-none-match': String(changed.headers.etag) },
  });
  assert.equal(other.statusCode, 200);
});

test('every order pages by cursor through each case once, in its order', async () => {
  const headers = await s.headers('county.center');
  const all = (await list('county.center', 'sort=newest')).items as Json[];
  assert.ok(all.length >= 6, `${all.length} cases`);
  for (const sort of ['newest', 'oldest', 'deadline'] as const) {
    const seen: Json[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/cases?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await s.t.app.inject({ url, headers });
      assert.equal(res.statusCode, 200, res.body);
      seen.push(...(res.json().items as Json[]));
      cursor = res.json().next_cursor;
    } while (cursor);
    assert.equal(seen.length, all.length, sort);
    assert.equal(new Set(seen.map((c) => c.id)).size, all.length, `${sort}: no case twice`);
    const keys = seen.map((c) =>
      sort === 'deadline' ? (c.stage_deadline ?? '9999') : (c.reported_at as string),
    );
    const sorted = [...keys].sort();
    assert.deepEqual(keys, sort === 'newest' ? sorted.reverse() : sorted, sort);
  }
  // A cursor of one order cannot continue another.
  const first = await s.t.app.inject({ url: '/api/v1/cases?sort=deadline&limit=1', headers });
  const mixed = await s.t.app.inject({
    url: `/api/v1/cases?sort=newest&cursor=${first.json().next_cursor}`,
    headers,
  });
  assert.equal(mixed.statusCode, 400);
});
