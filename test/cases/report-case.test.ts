import { readReporters } from '../../src/personal/reporter-data.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { reportCase } from '../../src/cases/report-case.ts';
import type { ReportInput } from '../../src/cases/report-input.ts';
import { hashReporterKey } from '../../src/personal/reporter-key.ts';
import { listDuplicatesOf } from '../../src/cases/suggest-duplicates.ts';
import type { Actor } from '../../src/core/access/roles.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { isDomainError } from '../../src/core/errors.ts';
import { readTimestamp } from '../../src/db/dialect.ts';
import { GridLocator } from '../../src/grids/grid-locator.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { addCategory } from '../../src/taxonomy/add-category.ts';
import { seedBaseTaxonomy } from '../../src/taxonomy/seed-categories.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
let locator: GridLocator;
let A: string; // a community of 西湖区 with two grids side by side
let G: string; // a community of 拱墅区
let gongshuCategory: string;
// 16:30 UTC on 1 March is half past midnight on 2 March in China.
const clock = fixedClock('2026-03-01T16:30:00Z');
/** Degrees of latitude per metre. */
const M = 1 / 111_195;

const operator: Actor = {
  user_id: 'u-operator',
  username: 'hotline.op',
  roles: ['county_centre'],
  scope: { code: '330106000000', level: 'county' },
  department_id: null,
};
const resident: Actor = {
  user_id: 'u-resident',
  username: 'resident',
  roles: ['resident'],
  scope: { code: '330000000000', level: 'province' },
  department_id: null,
};

before(async () => {
  store = await makeTestStore();
  await loadCounty(store, '330106');
  await loadCounty(store, '330105');
  await seedBaseTaxonomy({ store, clock }, '33');
  [A] = (await listWithin(store.db, '330106', 'community')).map((c) => c.code) as [string];
  [G] = (await listWithin(store.db, '330105', 'community')).map((c) => c.code) as [string];
  await importGrids(
    { store, clock },
    collection(
      gridFeature(A, 1, square(120.1, 30.2)),
      gridFeature(A, 2, square(120.11, 30.2)),
      gridFeature(G, 1, square(120.15, 30.3)),
    ),
  );
  gongshuCategory = (
    await addCategory({ store, clock }, { region: '330105', parent_code: 'SJ01', name: '拱墅特有' })
  ).code;
  locator = new GridLocator(store.db, { recheckMs: 0 });
});
after(() => store.close());

function report(overrides: Partial<ReportInput> = {}, actor: Actor | null = null) {
  return reportCase(
    { store, clock, locator, actor },
    {
      channel: 'web',
      category: 'SJ0102',
      title: '垃圾堆放',
      description: '小区门口有暴露垃圾',
      location: { lon: 120.105, lat: 30.205 },
      ...overrides,
    },
  );
}

async function counts() {
  const [cases, events, sequences] = await Promise.all(
    (['cases', 'case_events', 'reference_sequences'] as const).map(async (t) =>
      Number(
        (
          await store.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ),
  );
  return { cases, events, sequences };
}

async function rejects(work: () => Promise<unknown>, code: string) {
  const before = await counts();
  await assert.rejects(work(), (e: unknown) => isDomainError(e) && e.code === code);
  assert.deepEqual(await counts(), before, `${code}: nothing written`);
}

test('a report lands in its grid, community and county, numbered by the China date, with its first event', async () => {
  const c = await report({}, operator);
  assert.equal(c.grid?.code, `${A}01`);
  assert.equal(c.region.code, A);
  assert.match(c.reference, /^330106-20260302-\d{5}$/);
  assert.deepEqual([c.stage, c.version, c.created], ['reported', 1, true]);
  const row = await store.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
  assert.equal(row.county_code, '330106000000');
  assert.equal(row.region_code, A);
  // 00:30 on Monday 2 March in China: the registration limit (2 working hours) runs from 08:30.
  assert.equal(readTimestamp(row.stage_deadline), '2026-03-02T02:30:00.000Z');
  assert.equal(readTimestamp(row.next_check_at), '2026-03-02T01:30:00.000Z');
  const events = await store.db.selectFrom('case_events').selectAll().where('case_id', '=', c.id).execute();
  assert.equal(events.length, 1);
  assert.deepEqual(
    [events[0]!.action, events[0]!.from_stage, events[0]!.to_stage, events[0]!.version],
    ['report', null, 'reported', 1],
  );
  assert.deepEqual([events[0]!.actor_username, events[0]!.actor_role], ['hotline.op', 'county_centre']);
  const hotline = await report({ channel: 'hotline' }, operator);
  const event = await store.db
    .selectFrom('case_events')
    .select('actor_role')
    .where('case_id', '=', hotline.id)
    .executeTakeFirstOrThrow();
  assert.equal(event.actor_role, 'hotline_operator');
});

test('sequences count up per county and day and never repeat, also under 20 concurrent reports', async () => {
  const first = await report();
  const concurrent = await Promise.all(Array.from({ length: 20 }, () => report()));
  const gongshu = await report({ location: { lon: 120.155, lat: 30.305 }, category: 'SJ0101' });
  const seq = (r: string) => Number(r.split('-')[2]);
  const numbers = concurrent.map((c) => seq(c.reference)).sort((a, b) => a - b);
  assert.equal(new Set(numbers).size, 20);
  assert.ok(numbers.every((n) => n > seq(first.reference)));
  assert.deepEqual(
    numbers,
    Array.from({ length: 20 }, (_, i) => seq(first.reference) + 1 + i),
  );
  assert.equal(gongshu.reference, '330105-20260302-00001');
  clock.advance(24 * 3600_000);
  const nextDay = await report();
  assert.equal(nextDay.reference, '330106-20260303-00001');
  clock.advance(-24 * 3600_000);
  const again = await report();
  assert.equal(seq(again.reference), Math.max(...numbers) + 1);
});

test('a retried submission with the same idempotency key returns the first case, also when both race', async () => {
  const first = await report({ idempotency_key: 'retry-1' });
  const retry = await report({ idempotency_key: 'retry-1' });
  assert.equal(retry.id, first.id);
  assert.equal(retry.reference, first.reference);
  assert.equal(retry.created, false);
  const raced = await Promise.all([
    report({ idempotency_key: 'race-1' }),
    report({ idempotency_key: 'race-1' }),
    report({ idempotency_key: 'race-1' }),
  ]);
  assert.equal(new Set(raced.map((r) => r.id)).size, 1);
  assert.equal(raced.filter((r) => r.created).length, 1);
  const stored = await store.db
    .selectFrom('cases')
    .select('id')
    .where('idempotency_key', '=', 'race-1')
    .execute();
  assert.equal(stored.length, 1);
});

test('a reporter who is not signed in gets a key stored only as its hash; a retry rotates it; staff get none', async () => {
  const first = await report({ idempotency_key: 'key-1' });
  assert.match(first.reporter_key ?? '', /^[A-Za-z0-9_-]{32}$/);
  const stored = () =>
    store.db
      .selectFrom('cases')
      .select('reporter_key_hash')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
  assert.equal((await stored()).reporter_key_hash, hashReporterKey(first.reporter_key!));
  const retry = await report({ idempotency_key: 'key-1' });
  assert.notEqual(retry.reporter_key, first.reporter_key);
  assert.equal((await stored()).reporter_key_hash, hashReporterKey(retry.reporter_key!));
  const signedIn = await report({}, resident);
  assert.equal(signedIn.reporter_key, undefined);
  const byOperator = await report({ channel: 'hotline' }, operator);
  assert.equal(byOperator.reporter_key, undefined);
});

test('a report needs a location; a point outside every grid is refused; nothing is written', async () => {
  await rejects(() => report({ location: {} }), 'case.location_required');
  await rejects(() => report({ location: { address: '文三路 1 号' } }), 'case.location_required');
  await rejects(() => report({ location: { lon: 100, lat: 30 } }), 'geo.no_grid');
  await rejects(() => report({ location: { address: '某地', region: '33' } }), 'case.region_too_coarse');
  await rejects(() => report({ title: '   ' }), 'case.invalid_report');
  await rejects(() => report({ description: 'x'.repeat(5000) }), 'case.invalid_report');
});

test('an address with its region is enough without a point, and numbers by that region county', async () => {
  const c = await report({ location: { address: '文三路 1 号', region: A } });
  assert.equal(c.grid, null);
  assert.equal(c.region.code, A);
  assert.match(c.reference, /^330106-/);
});

test('the category must be a leaf visible in the case region; staff must give one, residents need not', async () => {
  await rejects(() => report({ category: 'SJ01' }), 'case.category_not_leaf');
  await rejects(() => report({ category: 'ZZ9999' }), 'category.not_found');
  // 拱墅区 added this category: 西湖区 does not see it, 拱墅区 does.
  await rejects(() => report({ category: gongshuCategory }), 'category.not_found');
  const inGongshu = await report({ category: gongshuCategory, location: { lon: 120.155, lat: 30.305 } });
  assert.equal(inGongshu.category_code, gongshuCategory);
  await rejects(() => report({ category: null }, operator), 'case.category_required');
  const uncategorised = await report({ category: null });
  assert.equal(uncategorised.category_code, null);
});

test('staff channels need staff: anonymous hotline reports are refused, residents are refused', async () => {
  await rejects(() => report({ channel: 'hotline' }), 'auth.required');
  await rejects(() => report({ channel: 'patrol' }, resident), 'access.role_forbidden');
});

test('an anonymous report keeps no identity, even from a signed-in resident', async () => {
  const c = await report({ anonymous: true, reporter: { name: '张三', phone: '13800138000' } }, resident);
  const row = await store.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
  assert.deepEqual([row.reporter_user_id, row.anonymous], [null, 1]);
  const sealed = await store.db
    .selectFrom('personal_data')
    .selectAll()
    .where('owner_id', '=', c.id)
    .execute();
  assert.deepEqual(sealed, [], 'an anonymous report stores no personal data at all');
  const event = await store.db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', c.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual([event.actor_user_id, event.actor_username], [null, 'anonymous']);
  const named = await report({ reporter: { name: '张三', phone: '13800138000' } }, resident);
  const namedRow = await store.db
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', named.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual([namedRow.reporter_user_id, namedRow.anonymous], ['u-resident', 0]);
  const opened = (await readReporters(store.db, store.keyring, [named.id])).get(named.id);
  assert.deepEqual(opened, { name: '张三', phone: '13800138000', email: null });
});

test('duplicates: open cases of the same category within 50 m and 24 h, nearest first, across grid edges', async () => {
  // A corner of the first grid far from the other tests' points; the east grid starts at 120.11.
  const at = { lon: 120.1099, lat: 30.2095 };
  const cat = 'BJ0101';
  const original = await report({ category: cat, location: at });
  assert.deepEqual(original.duplicates, []);
  clock.advance(3600_000);
  const near = await report({ category: cat, location: { lon: at.lon, lat: at.lat + 30 * M } });
  assert.deepEqual(
    near.duplicates.map((d) => d.id),
    [original.id],
  );
  assert.ok(Math.abs(near.duplicates[0]!.distance_m - 30) < 0.5);
  assert.equal(near.duplicates[0]!.reference, original.reference);
  // Across the grid edge at 120.11, about 19 m east of the original.
  const across = await report({ category: cat, location: { lon: 120.1101, lat: at.lat } });
  assert.equal(across.grid?.code, `${A}02`);
  assert.deepEqual(
    across.duplicates.map((d) => d.id),
    [original.id, near.id],
  );
  const far = await report({ category: cat, location: { lon: at.lon, lat: at.lat - 80 * M } });
  assert.deepEqual(far.duplicates, []);
  const other = await report({ category: 'BJ0102', location: at });
  assert.deepEqual(other.duplicates, []);
  // Closed cases are not offered.
  await store.db
    .updateTable('cases')
    .set({ stage: 'closed' })
    .where('id', 'in', [near.id, across.id])
    .execute();
  const afterClose = await report({ category: cat, location: at });
  assert.deepEqual(
    afterClose.duplicates.map((d) => d.id),
    [original.id],
  );
  // A day and more later, the original is too old.
  clock.advance(25 * 3600_000);
  const late = await report({ category: cat, location: { lon: at.lon, lat: at.lat - 5 * M } });
  assert.deepEqual(
    late.duplicates.map((d) => d.id),
    [],
  );
  // A stored case lists its own suggestions (never itself, never those a day apart); settings narrow them.
  const listed = await listDuplicatesOf({ db: store.db, locator, actor: operator }, afterClose.id);
  assert.deepEqual(
    listed.map((d) => d.id),
    [original.id],
  );
  const narrow = await listDuplicatesOf(
    { db: store.db, locator, actor: operator, settings: { meters: 50, hours: 0.5 } },
    afterClose.id,
  );
  assert.deepEqual(narrow, []);
  clock.advance(-26 * 3600_000);
});
