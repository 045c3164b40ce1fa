import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  browserSkip,
  chineseOnlyTexts,
  screenshot,
  seriousViolations,
  signIn,
  startBrowserRig,
  type BrowserRig,
} from '../helpers/browser.ts';
import type { Page } from 'playwright-core';
import { act, evidence, nothing, openCase, reason, report } from '../helpers/console-page.ts';

/**
 * One case from a resident's report to the resident's verdict, moved on only by clicking in the
 * console (headless Chromium, the real server on a fresh data directory): registration and
 * dispatch by the community, a return, a second dispatch and a second return, arbitration by the
 * county centre, handling, feedback with photos from the lead and the co-handler, a failed
 * verification, rework, verification and closure. The resident's verdict then shows.
 */
const skip = browserSkip;
let rig: BrowserRig;

before(async () => {
  if (!skip) rig = await startBrowserRig('shanzhi-console-walk-');
});
after(async () => {
  if (!skip) await rig?.close();
});

/** A point inside one of 上保社区's grids: the community handler's own region (the demo's grids). */
async function inCommunity(url: string, community: string): Promise<{ lon: number; lat: number }> {
  const res = await fetch(`${url}/api/v1/grids?within=${community}`);
  assert.equal(res.status, 200, await res.clone().text());
  const grids = (await res.json()) as { features: Array<{ geometry: { coordinates: number[][][] } }> };
  const ring = grids.features[0]!.geometry.coordinates[0]!;
  const mean = (k: number) => ring.slice(0, -1).reduce((sum, p) => sum + p[k]!, 0) / (ring.length - 1);
  return { lon: mean(0), lat: mean(1) };
}

test(
  'a case walks from report to the resident’s verdict by clicks in the console',
  { skip, timeout: 420_000 },
  async () => {
    const url = rig.server.url;
    const reported = await report(url, {
      title: '上保社区门口垃圾堆放（全流程）',
      category: 'SJ0102',
      location: await inCommunity(url, '330106002051'),
    });
    const { id } = reported;

    // The community registers the report and dispatches it by the responsibility list.
    const community = await signIn(rig, 'community.handler');
    await community.locator('a[data-tab="all"]').click();
    await community.locator(`[data-testid="worklist"] tr[data-id="${id}"] a`).first().click();
    await community.locator('[data-testid="case"][data-status="reported"]').waitFor();
    await act(community, 'register', nothing, 'registered');
    await act(community, 'dispatch', nothing, 'dispatched');
    assert.match((await community.getByTestId('owner').textContent())!, /城市管理/);
    // The case page names the entry it was routed by: lead, legal basis, limits of every stage.
    assert.ok((await community.getByTestId('entry-basis').textContent())!.trim().length > 0);
    assert.equal(await community.locator('[data-testid="entry-limits"] li').count(), 4);
    // …and where it is: the point on the community's grids, drawn without any tile server.
    await community.locator('.case-map [data-testid="map"] circle').waitFor();

    // 城管 returns it; the community sends it to 市场监管 by hand, which returns it too.
    const urban = await signIn(rig, 'dept.urban');
    await urban.locator(`[data-testid="worklist"] tr[data-id="${id}"]`).waitFor();
    await openCase(urban, url, id);
    await act(urban, 'return', reason('不属于城管职责'), 'registered');
    await openCase(community, url, id);
    await act(
      community,
      'dispatch',
      async (p) => {
        await p.locator('select[name="department_id"]').selectOption({ label: '西湖区市场监督管理局' });
        await p.locator('textarea[name="reason"]').fill('涉及经营行为');
      },
      'dispatched',
    );
    const market = await signIn(rig, 'dept.market');
    await openCase(market, url, id);
    await act(market, 'return', reason('不属于市场监管职责'), 'arbitration');

    // Two returns: the county centre names the owner.
    const centre = await signIn(rig, 'county.center');
    await openCase(centre, url, id);
    await act(
      centre,
      'arbitrate',
      async (p) => {
        await p
          .locator('select[name="department_id"]')
          .selectOption({ label: '西湖区城市管理局（综合行政执法局）' });
        await p.locator('textarea[name="reason"]').fill('依据权责清单由城管负责');
      },
      'dispatched',
    );

    // Handling: the lead accepts and feeds back with a photo; the co-handler feeds back too.
    await openCase(urban, url, id);
    await act(urban, 'accept', nothing, 'handling');
    await act(urban, 'feedback', evidence('cleared.png', '已清运'), 'awaiting_verification');
    // 北山街道 holds a co-handler's task of this category: it feeds back too before verification.
    const township = await signIn(rig, 'township.handler');
    await openCase(township, url, id);
    await act(township, 'feedback', evidence('township.png', '街道已协助清理'), 'awaiting_verification');
    await township.context().close();

    // The community verifies: not fixed; 城管 handles it again; then it passes and is closed.
    await openCase(community, url, id);
    await act(community, 'verify_fail', reason('现场仍有垃圾'), 'handling');
    await openCase(urban, url, id);
    await act(urban, 'feedback', evidence('again.png', '已再次清运'), 'awaiting_verification');
    await openCase(community, url, id);
    await act(community, 'verify_pass', nothing, 'verified');
    await act(community, 'close', nothing, 'closed');

    // The resident says it is fixed (with the key its report was answered with)…
    const verdict = await fetch(
      `${url}/api/v1/public/cases/${encodeURIComponent(reported.reference)}/verdict`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          reporter_key: reported.reporter_key,
          fixed: true,
          rating: 5,
          comment: '清理干净了',
        }),
      },
    );
    assert.equal(verdict.status, 200, await verdict.text());
    // …and the case page shows the verdict, the photos and every step of the timeline.
    await openCase(centre, url, id);
    await centre.getByTestId('verdict').waitFor();
    assert.match((await centre.getByTestId('verdict').textContent())!, /5/);
    assert.ok((await centre.locator('[data-testid="photos"] img').count()) >= 2);
    const actions = await centre
      .locator('[data-testid="timeline"] li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
    for (const a of [
      'register',
      'dispatch',
      'return',
      'arbitrate',
      'accept',
      'feedback',
      'verify_fail',
      'verify_pass',
      'close',
      'rate',
    ]) {
      assert.ok(actions.includes(a), `the timeline shows ${a}: ${actions.join(', ')}`);
    }
    assert.equal(actions.filter((a) => a === 'return').length, 2);
    await screenshot(centre, 'case-page');

    // Accessible, and English everywhere but in what people wrote.
    assert.deepEqual(await seriousViolations(centre), [], 'axe on the case page');
    await centre.getByRole('button', { name: 'English' }).click();
    await centre.getByRole('heading', { name: 'Timeline' }).waitFor();
    assert.deepEqual(await chineseOnlyTexts(centre), [], 'no Chinese-only label on the case page');

    for (const p of [community, urban, market, centre]) await p.context().close();
  },
);

test(
  'the worklist is accessible, and in English shows no Chinese-only label',
  { skip, timeout: 120_000 },
  async () => {
    const page = await signIn(rig, 'county.center');
    await page.goto(`${rig.server.url}/console/work/all`);
    await page.locator('[data-testid="worklist"] tbody tr').first().waitFor();
    await screenshot(page, 'worklist');
    assert.deepEqual(await seriousViolations(page), [], 'axe on the worklist');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'All cases' }).waitFor();
    assert.deepEqual(await chineseOnlyTexts(page), [], 'no Chinese-only label on the worklist');
    await page.context().close();
  },
);

/** Presses Tab until the focused element matches `selector` (at most `limit` times). */
async function tabTo(page: Page, selector: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

test('the keyboard alone signs in, opens a case and takes a step', { skip, timeout: 120_000 }, async () => {
  const url = rig.server.url;
  const { id } = await report(url, { title: '键盘操作测试：垃圾满溢' });
  const context = await rig.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${url}/console`);
  await tabTo(page, 'input[name="username"]');
  await page.keyboard.type('county.center');
  await page.keyboard.press('Tab');
  await page.keyboard.type('demo');
  await page.keyboard.press('Enter');
  await page.getByTestId('who').waitFor();
  await page.goto(`${url}/console/work/all`);
  await page.locator(`[data-testid="worklist"] tr[data-id="${id}"]`).waitFor();
  await tabTo(page, `tr[data-id="${id}"] a`);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="case"][data-status="reported"]').waitFor();
  await tabTo(page, '[data-testid="allowed-actions"] button[data-action="register"]');
  await page.keyboard.press('Enter');
  await tabTo(page, '[data-testid="act-submit"]');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="case"][data-status="registered"]').waitFor();
  await context.close();
});

test(
  'an open worklist shows a change made elsewhere within 5 s, keeping the rows loaded',
  { skip, timeout: 120_000 },
  async () => {
    const url = rig.server.url;
    const { id } = await report(url, { title: '列表刷新测试：垃圾满溢' });
    const page = await signIn(rig, 'county.center');
    await page.goto(`${url}/console/work/all`);
    const row = page.locator(`[data-testid="worklist"] tr[data-id="${id}"]`);
    await row.locator('td[data-status="reported"]').waitFor();
    const rows = await page.locator('[data-testid="worklist"] tbody tr').count();
    // Another session (a colleague at the centre) registers it, through the API.
    const session = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'county.center', password: 'demo' }),
    });
    const { token } = (await session.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const current = (await (await fetch(`${url}/api/v1/cases/${id}`, { headers })).json()) as {
      version: number;
    };
    const acted = await fetch(`${url}/api/v1/cases/${id}/actions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action: 'register', expected_version: current.version }),
    });
    assert.equal(acted.status, 200, await acted.text());
    const changed = Date.now();
    await row.locator('td[data-status="registered"]').waitFor({ timeout: 5_000 });
    assert.ok(Date.now() - changed <= 5_000);
    assert.ok(
      (await page.locator('[data-testid="worklist"] tbody tr').count()) >= rows,
      'no loaded row was lost',
    );
    await page.context().close();
  },
);
