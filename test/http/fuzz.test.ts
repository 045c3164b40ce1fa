import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { operationsOf, requestsTo, type FuzzRequest, type Operation } from '../helpers/fuzz-requests.ts';
import { Scenario, type Json } from '../helpers/scenario.ts';

// Malformed, oversized, wrongly typed and hostile requests to every route of /openapi.json, signed
// in and not. `npm test` sends SHANZHI_FUZZ_RUNS requests (2,000 by default); `npm run fuzz` 20,000.

const TOTAL = Number(process.env.SHANZHI_FUZZ_RUNS ?? 2_000);
// A fixed seed in `npm test`, so that CI is repeatable; `npm run fuzz` draws a new one each run.
const asked = process.env.SHANZHI_FUZZ_SEED ?? '20261207';
const SEED = asked === 'random' ? Date.now() % 2 ** 31 : Number(asked);
const USERS = ['admin', 'county.center', 'community.handler', 'dept.urban', 'grid.worker', 'resident'];

let s: Scenario;
let operations: Operation[];
const tokens: Record<string, string> = {};
const seen = { sent: 0, byStatus: new Map<number, number>() };

before(async () => {
  s = await Scenario.start();
  for (const u of USERS) tokens[u] = (await s.headers(u)).authorization.slice('Bearer '.length);
  // Real cases, so that reads and actions meet existing rows as well as missing ones.
  for (let i = 0; i < 3; i++) await s.report({ title: `模糊测试 ${i}` });
  operations = operationsOf((await s.t.app.inject({ url: '/openapi.json' })).json());
});
after(() => s.close());

/** The error body a rejection must have under each prefix (../shared/docs/CONTRACT.md, Open311 v2). */
function assertErrorShape(req: FuzzRequest, status: number, type: string, body: string): void {
  const where = `${req.method} ${req.url.slice(0, 200)} → ${status}`;
  if (req.url.startsWith('/api/v1')) {
    assert.match(type, /application\/json/, where);
    const e = (JSON.parse(body) as Json).error as Json;
    assert.equal(typeof e?.code, 'string', `${where}: error.code`);
    assert.equal(typeof e?.message, 'string', `${where}: error.message`);
    assert.equal(typeof e?.message_en, 'string', `${where}: error.message_en`);
  } else if (req.url.startsWith('/open311')) {
    if (type.includes('json')) {
      const errors = JSON.parse(body) as Json[];
      assert.ok(Array.isArray(errors) && errors.length > 0, `${where}: Open311 errors`);
      for (const e of errors) assert.equal(typeof e.description, 'string', `${where}: description`);
    } else {
      assert.match(body, /<errors>/, `${where}: Open311 XML errors`);
    }
  }
}

async function send(req: FuzzRequest): Promise<void> {
  const res = await s.t.app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: req.headers,
    ...(req.payload !== undefined ? { payload: req.payload } : {}),
  });
  seen.sent += 1;
  seen.byStatus.set(res.statusCode, (seen.byStatus.get(res.statusCode) ?? 0) + 1);
  assert.ok(
    res.statusCode < 500,
    `${req.method} ${req.url.slice(0, 300)} as ${req.as ?? 'anonymous'}: ${res.statusCode} ${res.body.slice(0, 300)}`,
  );
  if (res.statusCode >= 400)
    assertErrorShape(req, res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
}

test(`every route answers ${TOTAL.toLocaleString('en')} hostile requests without a 5xx, in the error shape (seed ${SEED})`, async () => {
  const perRoute = Math.max(1, Math.ceil(TOTAL / operations.length));
  for (const op of operations) {
    // Signing out would end the tokens the other routes use: that route gets anonymous and forged callers only.
    const callers = op.method === 'DELETE' && op.path === '/api/v1/session' ? {} : tokens;
    const result = await fc.check(fc.asyncProperty(requestsTo(op, callers), send), {
      numRuns: perRoute,
      seed: SEED,
      endOnFailure: true,
    });
    if (result.failed) {
      const [req] = result.counterexample ?? [];
      const shown = req ? { ...req, payload: String(req.payload ?? '').slice(0, 300) } : null;
      assert.fail(
        `${op.method} ${op.path} (seed ${SEED}): ${String(result.errorInstance).slice(0, 1500)}\n${JSON.stringify(shown).slice(0, 1500)}`,
      );
    }
  }
  assert.ok(seen.sent >= TOTAL, `${seen.sent} requests sent`);
  const statuses = [...seen.byStatus].sort(([a], [b]) => a - b).map(([k, v]) => `${k}: ${v}`);
  process.stdout.write(
    `# fuzz: ${seen.sent} requests to ${operations.length} routes; ${statuses.join(', ')}\n`,
  );
});

test('the server is healthy after the fuzzing, and every case kept its events', async () => {
  const health = await s.t.app.inject({ url: '/healthz' });
  assert.equal(health.statusCode, 200);
  const listed = await s.t.app.inject({
    url: '/api/v1/cases?limit=5',
    headers: await s.headers('county.center'),
  });
  assert.equal(listed.statusCode, 200, listed.body);
  // No partial write: a case row exists only with its events, its version that of its last event.
  const db = s.t.store.db;
  const broken = await db
    .selectFrom('cases')
    .select('cases.id')
    .where((eb) =>
      eb(
        'cases.version',
        '!=',
        eb
          .selectFrom('case_events')
          .select((e) => e.fn.max('case_events.version').as('v'))
          .whereRef('case_events.case_id', '=', 'cases.id'),
      ).or(
        eb.not(
          eb.exists(
            eb
              .selectFrom('case_events')
              .select('case_events.id')
              .whereRef('case_events.case_id', '=', 'cases.id'),
          ),
        ),
      ),
    )
    .execute();
  assert.deepEqual(broken, []);
});
