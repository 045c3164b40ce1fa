import type { FastifyInstance } from 'fastify';
import { fixedClock, type Clock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeAppDeps, type AppDeps } from '../../src/http/deps.ts';
import { makeTestStore, type TestStore } from './store.ts';

export interface TestApp {
  app: FastifyInstance;
  store: TestStore;
  deps: AppDeps;
  close(): Promise<void>;
}

/**
 * The real app over a fresh store; `prepare` loads what the tests need before the app starts.
 * The clock is fixed at 2026-03-01T08:00:00Z unless the test brings its own (to move time).
 */
export async function makeTestApp(
  prepare?: (store: TestStore) => Promise<void>,
  options: { clock?: Clock } = {},
): Promise<TestApp> {
  const store = await makeTestStore();
  await prepare?.(store);
  // recheckMs 0: derived structures look at their revision on every request, as tests change data.
  const deps = makeAppDeps(store, options.clock ?? fixedClock('2026-03-01T08:00:00Z'), 0);
  const app = await buildApp(deps, { logLevel: 'silent' });
  return {
    app,
    store,
    deps,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
