import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/build-web.ts';
import { spawnServer, waitHealthy, type ServerProcess } from './server.ts';

/** Debian's Chromium (`apt-get install chromium`); `npx playwright install` cannot work here. */
export const CHROMIUM = '/usr/bin/chromium';

/** The `skip` of a browser test: false, or why it cannot run on this machine. */
export const browserSkip: false | string = existsSync(CHROMIUM)
  ? false
  : `no browser at ${CHROMIUM} (Debian: apt-get install chromium)`;

export interface BrowserRig {
  server: ServerProcess;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The web build (when stale), the real server on a fresh data directory with the demo and a small
 * history, and headless Chromium: what every browser test starts from.
 */
export async function startBrowserRig(prefix: string): Promise<BrowserRig> {
  await ensureWebBuild({ log: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const server = await spawnServer({ SHANZHI_DATA_DIR: dir, SHANZHI_DEMO_CASES: '20' });
  await waitHealthy(server, 120_000);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      server.process.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
