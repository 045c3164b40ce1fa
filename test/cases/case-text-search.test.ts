import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { listCases } from '../../src/cases/list-cases.ts';
import { caseTextMatch, searchWords } from '../../src/cases/case-text-search.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { ACTORS, seedXihu } from '../helpers/actors.ts';
import { makeCase } from '../helpers/cases.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';
import { up as rekeySearch } from '../../src/db/migrations/0025-case-search-time-keys.ts';

const clock = fixedClock('2026-03-02T09:00:00+08:00');
const { county } = ACTORS;
let store: TestStore;

before(async () => {
  store = await makeTestStore();
  await seedXihu(store, clock);
});
after(() => store.close());

async function caseWith(title: string, description: string): Promise<{ id: string; reference: string }> {
  const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock });
  await store.db.updateTable('cases').set({ title, description }).where('id', '=', id).execute();
  const { reference } = await store.db
    .selectFrom('cases')
    .select('reference')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { id, reference };
}

async function search(q: string): Promise<string[]> {
  const page = await listCases(
    { db: store.db, traits: store.traits, keyring: store.keyring, clock },
    county,
    { q, limit: 200 },
  );
  return page.items.map((c) => c.id).sort();
}

test('q finds a case by a word of its title or its description, short Chinese words included', async () => {
  const night = await caseWith('夜间施工噪音扰民', '工地每晚十点后仍在打桩');
  const street = await caseWith('占道经营', '早市摊贩占用人行道 Noise');
  assert.deepEqual(await search('噪音扰民'), [night.id]);
  assert.deepEqual(await search('打桩'), [night.id]);
  assert.deepEqual(await search('占道'), [street.id]);
  assert.deepEqual(await search('人行道'), [street.id]);
  assert.deepEqual(await search('noise'), [street.id], 'ASCII letters match either case');
  assert.deepEqual(await search('噪'), [night.id]);
  assert.deepEqual(await search('天然气泄漏'), []);
});

test('every word must occur (AND), in either field', async () => {
  const a = await caseWith('楼道堆物', '消防通道被电动车堵塞');
  await caseWith('楼道灯坏', '三单元楼道灯不亮');
  assert.deepEqual(await search('楼道 电动车'), [a.id]);
  assert.deepEqual(await search('楼道　消防通道'), [a.id], 'a full-width space separates words too');
  assert.deepEqual(await search('楼道 天然气'), []);
});

test('a reference number finds that case exactly', async () => {
  const a = await caseWith('井盖缺失', '路口井盖丢失');
  // makeCase's references are not in the production format: give this one a real number.
  const reference = '330106-20260302-09917';
  await store.db.updateTable('cases').set({ reference }).where('id', '=', a.id).execute();
  assert.deepEqual(await search(reference), [a.id]);
  assert.deepEqual(await search(' 330106-20260302-09917 '), [a.id]);
  assert.deepEqual(await search('330106-20260302-09918'), []);
});

test('a changed title is found by its new words and no longer by its old ones; a deleted case by none', async () => {
  const a = await caseWith('广告牌松动', '大风天广告牌摇晃');
  await store.db.updateTable('cases').set({ title: '路灯杆倾斜' }).where('id', '=', a.id).execute();
  assert.deepEqual(await search('路灯杆倾斜'), [a.id]);
  assert.deepEqual(await search('广告牌松动'), []);
  assert.deepEqual(await search('大风天'), [a.id], 'the description still counts');
  await store.db.deleteFrom('case_events').where('case_id', '=', a.id).execute();
  await store.db.deleteFrom('cases').where('id', '=', a.id).execute();
  assert.deepEqual(await search('路灯杆倾斜'), []);
  assert.deepEqual(await search('大风天'), []);
});

test('query syntax of FTS5 and LIKE is matched literally, never run', async () => {
  const a = await caseWith('标语 "禁止停车" 50%_off', "it's a*b OR NEAR(x y) \\ done ^title:x+y-z");
  for (const q of [
    '"禁止停车"',
    '"',
    '50%_off',
    '%',
    '_',
    '\\',
    "it's",
    'a*b',
    '*',
    'OR',
    'NEAR(x',
    'NEAR(',
    '^',
    ':',
    '(',
    ')',
    '-',
    '+',
  ]) {
    const found = await search(q);
    assert.deepEqual(found, [a.id], `q=${q}`);
  }
  for (const q of ['"禁止 停车"x', '""', '%%', '__', 'a%b', 'NOT', 'title:标语']) {
    assert.deepEqual(await search(q), [], `q=${q}`);
  }
});

test('the text search uses the store index', async () => {
  const q = '施工噪音';
  const filter = caseTextMatch(store.traits, q);
  const query = store.db.selectFrom('cases').select('cases.id').where(filter).compile();
  if (store.traits.name === 'sqlite') {
    const rows = await sql<{
      detail: string;
    }>`EXPLAIN QUERY PLAN ${sql.raw(inline(query.sql, query.parameters))}`.execute(store.db);
    const text = rows.rows.map((r) => r.detail).join('\n');
    assert.match(text, /cases_fts VIRTUAL TABLE/, text);
    assert.doesNotMatch(text, /^SCAN cases$/m, text);
  } else {
    await store.db.transaction().execute(async (tx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(tx);
      const rows = await sql<{
        'QUERY PLAN': string;
      }>`EXPLAIN ${sql.raw(inline(query.sql, query.parameters))}`.execute(tx);
      const text = rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(text, /Bitmap Index Scan on cases_text_trgm_idx/, text);
    });
  }
});

/** The statement with its parameters as literals, for EXPLAIN (strings only here). */
function inline(text: string, parameters: readonly unknown[]): string {
  const literal = (v: unknown) => `'${String(v).replaceAll("'", "''")}'`;
  return text.replace(/\$(\d+)|\?/g, (m, n: string | undefined) =>
    literal(parameters[n ? Number(n) - 1 : 0]),
  );
}

/**
 * The meaning of q, in JS: every whitespace-separated word is a substring of the title or the
 * description, ASCII letters folded to lower case on both sides.
 */
function naiveMatch(q: string, c: { title: string; description: string }): boolean {
  const fold = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  const words = searchWords(q.trim());
  if (words.length === 0) return false;
  return words.every((w) => fold(c.title).includes(fold(w)) || fold(c.description).includes(fold(w)));
}

test('property: q answers exactly the cases a substring filter in JS picks', async () => {
  // A small alphabet, so that random words often occur: CJK, ASCII of both cases, punctuation and
  // the characters FTS5 and LIKE give meaning to.
  const alphabet = [...'噪音扰民占道施工夜间aAbB1 "\'*%_\\()-:^'];
  const char = fc.constantFrom(...alphabet);
  const text = fc.array(char, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));
  const corpus = await fc.sample(fc.record({ title: text, description: text }), { numRuns: 40, seed: 11 });
  const before = new Set(await allIds());
  const made: Array<{ id: string; title: string; description: string }> = [];
  for (const c of corpus) made.push({ ...(await caseWith(c.title, c.description)), ...c });
  const ours = new Set(made.map((m) => m.id));
  await fc.assert(
    fc.asyncProperty(
      fc.array(char, { minLength: 1, maxLength: 6 }).map((cs) => cs.join('')),
      async (raw) => {
        const q = raw.trim();
        fc.pre(q.length > 0);
        const found = (await search(q)).filter((id) => ours.has(id) && !before.has(id));
        const expected = made
          .filter((m) => naiveMatch(q, m))
          .map((m) => m.id)
          .sort();
        assert.deepEqual(found, expected, `q=${JSON.stringify(q)}`);
      },
    ),
    { numRuns: 150, seed: 7 },
  );
});

/** Every page of a text search, by its cursors, in one order. */
async function pages(q: string, sort: 'newest' | 'oldest', limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listCases(
      { db: store.db, traits: store.traits, keyring: store.keyring, clock },
      county,
      {
        q,
        sort,
        limit,
        ...(cursor ? { cursor } : {}),
      },
    );
    ids.push(...page.items.map((c) => c.id));
    if (!page.next_cursor) return ids;
    cursor = page.next_cursor;
  }
}

test('a text search pages newest or oldest first, every match once, also after the search keys are rebuilt', async () => {
  // Reported on different days, out of order, and two in the same millisecond.
  const days = ['2026-02-10', '2026-01-05', '2026-02-20', '2026-01-20', '2026-01-20', '2026-02-01'];
  const made: Array<{ id: string; at: string }> = [];
  for (const day of days) {
    const at = `${day}T02:00:00.000Z`;
    const { id } = await makeCase({ db: store.db, keyring: store.keyring, clock: fixedClock(at) });
    await store.db
      .updateTable('cases')
      .set({ title: '井盖缺失翻页', description: '路口井盖缺失' })
      .where('id', '=', id)
      .execute();
    made.push({ id, at });
  }
  const newest = [...made].sort((a, b) => b.at.localeCompare(a.at)).map((m) => m.at);
  const check = async () => {
    for (const q of ['井盖缺失翻页', '翻页 井盖']) {
      const down = await pages(q, 'newest', 2);
      assert.deepEqual(
        down.map((id) => made.find((m) => m.id === id)!.at),
        newest,
        q,
      );
      assert.equal(new Set(down).size, made.length);
      const up = await pages(q, 'oldest', 4);
      assert.deepEqual(
        up.map((id) => made.find((m) => m.id === id)!.at),
        [...newest].reverse(),
        q,
      );
      const first = await listCases(
        { db: store.db, traits: store.traits, keyring: store.keyring, clock },
        county,
        { q, limit: 2 },
      );
      assert.equal(first.total, made.length);
      assert.equal(first.total_exact, true);
    }
  };
  await check();
  if (store.traits.name === 'sqlite') {
    await rekeySearch(store.db as never, store.traits);
    await check();
  }
});

test('the total is exact up to the count limit, and says "more" beyond it', async () => {
  const all = await listCases({ db: store.db, traits: store.traits, keyring: store.keyring, clock }, county, {
    limit: 1,
  });
  assert.ok(all.total >= 3);
  const capped = await listCases(
    { db: store.db, traits: store.traits, keyring: store.keyring, clock },
    county,
    { limit: 1 },
    { countUpTo: 2 },
  );
  assert.deepEqual([capped.total, capped.total_exact], [2, false]);
  const exact = await listCases(
    { db: store.db, traits: store.traits, keyring: store.keyring, clock },
    county,
    { limit: 1 },
    { countUpTo: all.total },
  );
  assert.deepEqual([exact.total, exact.total_exact], [all.total, true]);
});

async function allIds(): Promise<string[]> {
  return (await store.db.selectFrom('cases').select('id').execute()).map((r) => r.id);
}
