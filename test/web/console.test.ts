import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkip, signIn, startBrowserRig, type BrowserRig } from '../helpers/browser.ts';
import {
  act,
  evidence,
  nothing,
  openCase as openCaseAt,
  reason,
  report as reportVia,
} from '../helpers/console-page.ts';
import type { ServerProcess } from '../helpers/server.ts';

/**
 * The staff console in headless Chromium against the real server (src/main.ts, fresh data
 * directory, demo accounts): signing in through the cookie session, the worklist, and a case
 * moved on by clicking only the buttons the server lists.
 */
const skip = browserSkip;

let rig: BrowserRig;
let server: ServerProcess;
let browser: Browser;

before(async () => {
  if (skip) return;
  rig = await startBrowserRig('shanzhi-console-e2e-');
  ({ server, browser } = rig);
});

after(async () => {
  if (!skip) await rig?.close();
});

function signedIn(username: string): Promise<Page> {
  return signIn(rig, username);
}

const report = (title: string) => reportVia(server.url, { title });
const openCase = (page: Page, id: string) => openCaseAt(page, server.url, id);

/** The sign-in page in a fresh browser context of its own, signed in as nobody. */
async function signInPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${server.url}/console`);
  return { context, page };
}

test(
  'the console runs under its Content-Security-Policy, and a script it forbids is refused and caught',
  { skip, timeout: 60_000 },
  async () => {
    const { context, page } = await signInPage();
    try {
      await page.locator('input[name="username"]').waitFor();
      assert.deepEqual(rig.cspViolations, [], 'the console itself needs nothing the policy forbids');
      // An injected inline script (what an unescaped text would become) must not run.
      const ran = await page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.head.append(script);
        await new Promise((done) => setTimeout(done, 200));
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      assert.equal(ran, false);
      await page.waitForTimeout(200);
      assert.equal(rig.cspViolations.length, 1, 'the refusal reached the watcher');
      assert.match(rig.cspViolations[0]!, /script-src/);
    } finally {
      rig.cspViolations.length = 0;
      await context.close();
    }
  },
);

test(
  'a wrong password shows the server’s own message, in Chinese and then English',
  { skip, timeout: 60_000 },
  async () => {
    const { context, page } = await signInPage();
    try {
      await page.locator('input[name="username"]').fill('dept.urban');
      await page.locator('input[name="password"]').fill('wrong');
      await page.getByRole('button', { name: '登录' }).click();
      const error = page.getByTestId('signin-error');
      await error.waitFor();
      assert.match((await error.textContent())!, /[\u4e00-\u9fff]/);
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('signin-error').waitFor();
      assert.match((await page.getByTestId('signin-error').textContent())!, /[a-z]/);
      const cookies = await context.cookies();
      assert.equal(cookies.filter((c) => c.name === 'shanzhi_session').length, 0);
    } finally {
      await context.close();
    }
  },
);

test(
  'staff move a case on by clicking only the buttons the server lists; a stale page gets the conflict message',
  { skip, timeout: 240_000 },
  async () => {
    const { id, reference } = await report('小区门口垃圾堆放（工作台测试）');
    const centre = await signedIn('county.center');
    // A command centre starts at the overview of its region; the new case is in "all cases".
    await centre.waitForURL(/\/console\/overview/);
    const cookie = (await centre.context().cookies()).find((c) => c.name === 'shanzhi_session');
    assert.ok(cookie?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(cookie?.sameSite, 'Strict');
    await centre.goto(`${server.url}/console/work/all`);
    const row = centre.locator(`[data-testid="worklist"] tr[data-id="${id}"]`);
    await row.waitFor();
    await row.getByRole('link', { name: reference }).click();
    await centre.locator(`[data-testid="case"][data-status="reported"]`).waitFor();
    assert.equal(await centre.getByTestId('reporter').textContent(), '李四 · 13912345678');

    await act(centre, 'register', nothing, 'registered');
    await act(centre, 'dispatch', nothing, 'dispatched');
    assert.match((await centre.getByTestId('owner').textContent())!, /城市管理/);

    // The market department may read nothing it does not own: no button, and the API refuses too.
    const market = await signedIn('dept.market');
    await market.goto(`${server.url}/console/cases/${id}`);
    await market.locator('[data-testid="case"], .error').first().waitFor();
    assert.equal(await market.locator('[data-testid="allowed-actions"] button').count(), 0);
    const refused = await market.evaluate(async (caseId) => {
      const me = await (await fetch('/api/v1/me')).json();
      const res = await fetch(`/api/v1/cases/${caseId}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token },
        body: JSON.stringify({ action: 'accept', expected_version: 3 }),
      });
      return res.status;
    }, id);
    assert.ok(refused === 403 || refused === 404, `the API refuses the market department (${refused})`);

    const urban = await signedIn('dept.urban');
    await urban.waitForURL(/\/console\/work\/mine/);
    await urban.locator(`[data-testid="worklist"] tr[data-id="${id}"]`).waitFor();
    await openCase(urban, id);
    // The department returns it once: back to the centre, counted.
    await act(urban, 'return', reason('需核实地点'), 'registered');
    await openCase(centre, id);
    await act(centre, 'dispatch', nothing, 'dispatched');
    await openCase(urban, id);
    await act(urban, 'accept', nothing, 'handling');

    // A page left open while someone else acted: the step is refused with the conflict message.
    const stale = await signedIn('dept.urban');
    await openCase(stale, id);
    await act(urban, 'feedback', evidence('done.png', '已清运'), 'awaiting_verification');
    await stale.locator('[data-testid="allowed-actions"] button[data-action="request_extension"]').click();
    await stale.locator('input[name="days"]').fill('2');
    await stale.locator('textarea[name="reason"]').fill('需要协调');
    await stale.getByTestId('act-submit').click();
    const refusal = stale.getByTestId('refusal');
    await refusal.waitFor();
    assert.equal(await refusal.getAttribute('data-conflict'), 'true');
    assert.match((await refusal.textContent())!, /其他人已经办理/);
    await stale.getByTestId('reload').click();
    await stale.locator('[data-testid="case"][data-status="awaiting_verification"]').waitFor();

    await openCase(urban, id);
    await urban.locator('[data-testid="photos"] img').first().waitFor();

    await centre.goto(`${server.url}/console/work/all`);
    await centre.locator(`[data-testid="worklist"] tr[data-id="${id}"]`).waitFor();

    // English: the case page's labels switch.
    await openCase(centre, id);
    await centre.getByRole('button', { name: 'English' }).click();
    await centre.getByRole('heading', { name: 'Timeline' }).waitFor();
    await centre.getByText('Awaiting verification', { exact: false }).first().waitFor();

    for (const p of [centre, market, urban, stale]) await p.context().close();
  },
);
