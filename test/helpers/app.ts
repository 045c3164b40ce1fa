import type { FastifyInstance } from 'fastify';
import { fixedClock } from '../../src/core/clock.ts';
import { GridLocator } from '../../src/grids/grid-locator.ts';
import { buildApp } from '../../src/http/app.ts';
import { makeTestStore, type TestStore } from './store.ts';

export interface TestApp {
  app: FastifyInstance;
  store: TestStore;
  locator: GridLocator;
  close(): Promise<void>;
}

/** The real app over a fresh store; `prepare` loads what the tests need before the app starts. */
export async function makeTestApp(prepare?: (store: TestStore) => Promise<void>): Promise<TestApp> {
  const store = await makeTestStore();
  await prepare?.(store);
  const locator = new GridLocator(store.db, { recheckMs: 0 });
  const app = await buildApp(
    { store, clock: fixedClock('2026-03-01T08:00:00Z'), locator },
    { logLevel: 'silent' },
  );
  return {
    app,
    store,
    locator,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
