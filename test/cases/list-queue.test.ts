import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { matching, readableBy } from '../../src/cases/case-list-filters.ts';
import { findActorUnit } from '../../src/cases/case-rows.ts';
import { listCases } from '../../src/cases/list-cases.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { CaseSort } from '../../src/core/paging.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

// A department's queue is read part by part (its owned stages, its tasks, its summonses) and the
// pages merged: this file checks the merge against the same queue as one OR condition.

const clock = fixedClock('2026-03-02T09:00:00+08:00');
const { urban } = ACTORS;
const UNIT = urban.department_id!;
const OTHER = ACTORS.market.department_id!;
let store: TestStore;

/** A small deterministic generator, so that a failure repeats. */
function generator(seed: number) {
  let n = seed;
  return () => (n = (n * 1103515245 + 12345) % 2147483648) / 2147483648;
}

before(async () => {
  store = await makeTestStore();
  await seedXihu(store, clock);
  const next = generator(7);
  const stages = ['registered', 'dispatched', 'handling', 'awaiting_verification', 'closed'] as const;
  const base = Date.parse('2026-02-01T00:00:00Z');
  for (let i = 0; i < 90; i++) {
    const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
    const stage = stages[Math.floor(next() * stages.length)]!;
    const owner = next() < 0.6 ? UNIT : OTHER;
    // Every third case shares its report time with the one before: ties are broken by id.
    const reported = new Date(
      base + Math.floor(i / 3) * 3_600_000 * (1 + (i % 3 === 2 ? 1 : 0)),
    ).toISOString();
    const deadline = next() < 0.8 ? new Date(base + next() * 40 * 86_400_000).toISOString() : null;
    await store.db
      .updateTable('cases')
      .set({ stage, owner_department_id: owner, reported_at: reported, stage_deadline: deadline })
      .where('id', '=', id)
      .execute();
    const task = (
      department_id: string,
      role: 'lead' | 'co' | 'summoned',
      status: 'open' | 'awaiting_report_in' | 'done',
    ) =>
      store.db
        .insertInto('case_tasks')
        .values({
          case_id: id,
          department_id,
          role,
          status,
          report_in_deadline: null,
          deadline: null,
          reported_in_at: null,
          done_at: null,
          feedback: null,
          created_at: reported,
        })
        .execute();
    await task(owner, 'lead', stage === 'closed' ? 'done' : 'open');
    const r = next();
    // Co-handling for the other department's cases; summonses also on the department's own
    // cases, so that a case sits in two parts of the queue.
    if (owner === OTHER && r < 0.35) await task(UNIT, 'co', next() < 0.8 ? 'open' : 'done');
    else if (r > 0.75) await task(UNIT, 'summoned', 'awaiting_report_in');
  }
});
after(() => store.close());

/** The queue as one OR condition, in the order of `sort`: what the merged parts must equal. */
async function expected(sort: CaseSort): Promise<string[]> {
  const unit = await findActorUnit(store.db, urban);
  const now = clock.now();
  const key =
    sort === 'deadline'
      ? sql`coalesce(${sql.ref('cases.stage_deadline')}, ${'9999-12-31T23:59:59.999Z'})`
      : sql`${sql.ref('cases.reported_at')}`;
  const direction = sort === 'newest' ? 'desc' : 'asc';
  const filter = matching({ assigned_to: 'me' }, { now, traits: store.traits, actor: urban, unit });
  const rows = await store.db
    .selectFrom('cases')
    .select('cases.id')
    .where((eb) => eb.and([readableBy(urban, unit)(eb), filter(eb)]))
    .orderBy(key, direction)
    .orderBy('cases.id', direction)
    .execute();
  return rows.map((r) => r.id);
}

const deps = () => ({ db: store.db, traits: store.traits, keyring: store.keyring, clock });

test('the queue of several parts pages by cursor as the same queue in one condition, each case once', async () => {
  for (const sort of ['newest', 'oldest', 'deadline'] as const) {
    const want = await expected(sort);
    assert.ok(want.length > 20, `${sort}: ${want.length} cases in the queue`);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCases(deps(), urban, { assigned_to: 'me', sort, limit: 4, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, want, sort);
  }
});

test('offsets page the merged queue as they page the one condition', async () => {
  const want = await expected('newest');
  const seen: string[] = [];
  for (let offset = 0; offset < want.length + 5; offset += 7) {
    const page = await listCases(deps(), urban, { assigned_to: 'me', limit: 7, offset });
    seen.push(...page.items.map((c) => c.id));
  }
  assert.deepEqual(seen, want);
});

test('the total of the merged queue is exact up to the count limit, whichever part reaches it', async () => {
  const n = (await expected('newest')).length;
  for (const countUpTo of [1, 3, n - 1, n, n + 10]) {
    const page = await listCases(deps(), urban, { assigned_to: 'me', limit: 2 }, { countUpTo });
    assert.equal(page.total, Math.min(n, countUpTo), `count up to ${countUpTo}`);
    assert.equal(page.total_exact, n <= countUpTo, `count up to ${countUpTo}`);
  }
});
