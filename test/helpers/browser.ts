import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openStore } from '../../src/db/database.ts';
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
  /**
   * What Chromium refused under the pages' Content-Security-Policy, from every context the rig's
   * browser opens; `close()` fails the file when any is left, so every browser test runs under
   * the real policy and proves the pages need nothing it forbids.
   */
  cspViolations: string[];
  close(): Promise<void>;
}

/** Records each CSP refusal Chromium reports on a context's console. */
function watchCsp(browser: Browser, violations: string[]): void {
  const open = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await open(options);
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) {
        violations.push(`${message.location().url}: ${message.text()}`);
      }
    });
    return context;
  };
}

/**
 * With DATABASE_URL, a PostgreSQL schema of the rig's own (as test/helpers/store.ts gives each
 * use-case test), so that browser test files never see each other's demo data; the server reaches
 * it through the connection string's `options`.
 */
async function ownSchema(dir: string): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env.DATABASE_URL;
  if (!base) return null;
  const schema = `web_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = openStore({ databaseUrl: base, dataDir: dir });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
      await admin.close();
    },
  };
}

/**
 * The web build (when stale), the real server on a fresh data directory with the demo and a small
 * history, and headless Chromium: what every browser test starts from.
 */
export async function startBrowserRig(prefix: string): Promise<BrowserRig> {
  await ensureWebBuild({ log: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const postgres = await ownSchema(dir);
  const server = await spawnServer({
    SHANZHI_DATA_DIR: dir,
    SHANZHI_DEMO_CASES: '20',
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
  });
  await waitHealthy(server, 120_000);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const cspViolations: string[] = [];
  watchCsp(browser, cspViolations);
  return {
    server,
    browser,
    cspViolations,
    async close() {
      await browser.close();
      server.process.kill('SIGTERM');
      await server.exited;
      await postgres?.drop();
      rmSync(dir, { recursive: true, force: true });
      if (cspViolations.length > 0) {
        throw new Error(`the pages broke their Content-Security-Policy:\n${cspViolations.join('\n')}`);
      }
    },
  };
}

export interface SignInOptions {
  viewport?: { width: number; height: number };
  /** The browser's language; the console is Chinese first whatever it says. */
  locale?: string;
  /** Extra context options, e.g. geolocation permission for the phone pages. */
  context?: Parameters<Browser['newContext']>[0];
}

/** A fresh browser context signed in to the console as a demo user (password `demo`). */
export async function signIn(rig: BrowserRig, username: string, options: SignInOptions = {}): Promise<Page> {
  const context = await rig.browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? 'zh-CN',
    ...options.context,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${rig.server.url}/console`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill('demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('who').waitFor();
  return page;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core run in the page (WCAG 2 A and AA rules): the serious and critical violations, each with
 * the selectors of its elements, so that an assertion message says where to look.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol, not added as an inline <script>: the pages' CSP
  // (script-src 'self') refuses inline scripts, and the tests run under the real policy.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: unknown[] }>;
      }>;
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Where screenshots go: docs/screenshots when SHANZHI_SCREENSHOTS=docs (what the README shows:
 * `SHANZHI_SCREENSHOTS=docs npm test`), otherwise a temporary folder, so that an ordinary test run
 * takes them (and fails if it cannot) without changing the checkout.
 */
const SHOTS =
  process.env.SHANZHI_SCREENSHOTS === 'docs'
    ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
    : join(tmpdir(), 'shanzhi-screenshots');

/** A screenshot of what the page shows now, named for the README (`<name>.png`). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/**
 * The visible text of the page that contains a CJK character and no Latin letter: in English mode,
 * a label the switch missed. Residents' own words (titles, descriptions), people's and places' names
 * are data, not labels: the console marks them `translate="no"` (the HTML attribute for text that
 * is not to be translated), and they are left out.
 */
export async function chineseOnlyTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('[translate="no"], script, style, [hidden]')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || el.getClientRects().length === 0)
        continue;
      const text = (node.textContent ?? '').trim();
      if (/[\u4e00-\u9fff]/u.test(text) && !/[A-Za-z]/.test(text)) found.add(text);
    }
    return [...found];
  });
}
