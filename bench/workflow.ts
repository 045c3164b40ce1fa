import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { actOnCase, stepCase } from '../src/cases/act-on-case.ts';
import type { Actor } from '../src/core/access/roles.ts';
import type { Clock } from '../src/core/clock.ts';
import type { Store } from '../src/db/database.ts';
import type { RulesCache } from '../src/responsibility/rules-cache.ts';
import type { CountFolder } from '../src/indicators/count-folder.ts';
import { row, type BenchRow } from './row.ts';

const IN_FLIGHT = 4;

async function inFlight<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
  return items.length / ((performance.now() - started) / 1000);
}

/**
 * Workflow steps (立案 `register` of cases just reported) on the intake bench's store and app:
 * through `actOnCase` (store.write: steps in flight share one commit on SQLite, decisions/0004)
 * beside the same use case with each step in its own transaction, as steps ran before; and through
 * HTTP (`POST /api/v1/cases/{id}/actions`) beside intake measured in the same run.
 */
export async function benchSteps(
  deps: { store: Store; clock: Clock; rules: RulesCache; counts: CountFolder; app: FastifyInstance },
  count: number,
  intakeRate: number,
): Promise<BenchRow[]> {
  const { store, app } = deps;
  const cases = await store.db
    .selectFrom('cases')
    .select('id')
    .where('stage', '=', 'reported')
    .where('channel', '=', 'web')
    // Not the ceiling's plain rows (reference day 1970-01-01, a made-up community).
    .where('reference', 'not like', '%-19700101-%')
    .orderBy('id', 'desc')
    .limit(count * 4)
    .execute();
  if (cases.length < count * 4) throw new Error(`steps bench needs ${count * 4} reported cases`);
  const ids = cases.map((c) => c.id);
  const user = await store.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'county.center')
    .executeTakeFirstOrThrow();
  const centre: Actor = {
    user_id: user.id,
    username: 'county.center',
    roles: ['county_centre'],
    scope: { code: '330106000000', level: 'county' },
    department_id: null,
  };
  const register = { action: 'register', expected_version: 1 } as const;
  const loaded = await deps.rules.current();
  const alone = await inFlight(ids.slice(0, count), IN_FLIGHT, async (id) => {
    const done = await store.db
      .transaction()
      .execute((tx) =>
        stepCase({ tx, traits: store.traits, clock: deps.clock, loaded }, centre, id, register),
      );
    deps.counts.appended(done.deltas);
  });
  const grouped = await inFlight(ids.slice(count, 2 * count), IN_FLIGHT, async (id) => {
    await actOnCase(deps, centre, id, register);
  });
  const session = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username: 'county.center', password: 'demo' },
  });
  const token = (session.json() as { token: string }).token;
  const viaHttp = (id: string) =>
    app
      .inject({
        method: 'POST',
        url: `/api/v1/cases/${id}/actions`,
        headers: { authorization: `Bearer ${token}` },
        payload: register,
      })
      .then((res) => {
        if (res.statusCode !== 200) throw new Error(`step answered ${res.statusCode}: ${res.body}`);
      });
  const http = await inFlight(ids.slice(2 * count, 3 * count), IN_FLIGHT, viaHttp);
  const oneClient = await inFlight(ids.slice(3 * count, 4 * count), 1, viaHttp);
  await deps.counts.fold();
  const what = `${count} 立案 steps of cases just reported, ${IN_FLIGHT} in flight`;
  return [
    row(
      'workflow.steps_per_second',
      grouped,
      'steps/s',
      'higher',
      { name: 'the same steps, each in its own transaction (as before store.write)', value: alone },
      `${what}, through actOnCase (case row, event, count delta, mail hooks)`,
    ),
    row(
      'workflow.http_steps_per_second',
      http,
      'steps/s',
      'higher',
      { name: 'intake through HTTP, 4 in flight, same run', value: intakeRate },
      `${what}, POST /api/v1/cases/{id}/actions; one client: ${Math.round(oneClient)} steps/s`,
    ),
  ];
}
