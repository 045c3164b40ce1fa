import { sql } from 'kysely';
import { seedDemoAccounts } from '../../src/accounts/seed-demo-accounts.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { seedXihu } from './actors.ts';
import { collection, gridFeature, square } from './grids.ts';
import { SHANGBAO } from './scenario.ts';
import { spawnServer, waitHealthy, type ServerProcess } from './server.ts';
import { makeTestStore, type TestStore } from './store.ts';

/** Staff who hear of a dispatch to 城管 with 北山街道 assisting (SJ0102 in 上保社区): their addresses. */
export const NOTIFIED = {
  'dept.urban': 'urban@crash.test',
  'township.handler': 'township@crash.test',
} as const;

export interface ServerStore {
  store: TestStore;
  /** The environment that points a server process at this store (and its data directory). */
  env: Record<string, string>;
}

/**
 * A fresh store (a SQLite file in its own directory, or its own PostgreSQL schema when
 * DATABASE_URL is set) holding 西湖区, the demo accounts (password `demo`), one grid in 上保社区
 * and addresses for the staff a dispatch notifies; and the environment for a real server over it
 * (no demo seeding, the same data directory, the schema in the connection string).
 */
export async function makeServerStore(): Promise<ServerStore> {
  const store = await makeTestStore();
  const clock = fixedClock('2026-03-02T09:00:00+08:00');
  await seedXihu(store, clock);
  await seedDemoAccounts({ db: store.db, clock }, { password: 'demo' });
  await importGrids({ store, clock }, collection(gridFeature(SHANGBAO, 1, square(120.1, 30.2))));
  for (const [username, email] of Object.entries(NOTIFIED))
    await store.db.updateTable('users').set({ email }).where('username', '=', username).execute();
  const env: Record<string, string> = {
    SHANZHI_DATA_DIR: store.dataDir,
    SHANZHI_DEMO: '0',
    SHANZHI_MIN_FREE_MB: '0',
    // Clients at full speed from one address: the rate limits (src/http/security.ts) are off.
    SHANZHI_RATE_LIMIT_PER_MINUTE: '0',
    SHANZHI_RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
  };
  const url = process.env.DATABASE_URL;
  if (url) {
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(store.db);
    const withSchema = new URL(url);
    withSchema.searchParams.set('options', `-c search_path=${rows[0]!.schema}`);
    env.DATABASE_URL = withSchema.toString();
  } else {
    env.DATABASE_URL = '';
  }
  return { store, env };
}

/** Starts the real server (src/main.ts) and waits for /healthz. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env);
  try {
    await waitHealthy(server);
  } catch (error) {
    server.process.kill('SIGKILL');
    throw error;
  }
  return server;
}

/** kill -9, and waits until the process is gone. */
export async function killHard(server: ServerProcess): Promise<void> {
  server.process.kill('SIGKILL');
  await server.exited;
}

/** SIGTERM (a clean stop: requests finish, counts fold, the mail round ends), and waits for the exit. */
export async function stopServer(server: ServerProcess): Promise<number | null> {
  server.process.kill('SIGTERM');
  return server.exited;
}

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One JSON request; a connection the server dropped (killed) throws. */
export async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the assertion message.
  }
  return { status: response.status, body };
}

/** A session token of a demo account. */
export async function signIn(base: string, username: string): Promise<string> {
  const res = await call(base, 'POST', '/api/v1/session', { body: { username, password: 'demo' } });
  if (res.status !== 200)
    throw new Error(`sign-in of ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { token: string }).token;
}
