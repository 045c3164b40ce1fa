import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { browserSkip, startBrowserRig, type BrowserRig } from '../helpers/browser.ts';
import type { ServerProcess } from '../helpers/server.ts';

/**
 * The resident site in headless Chromium against the real server (`src/main.ts` on a fresh data
 * directory with the demo and a small history): a resident reports a problem with a photo, staff
 * move the case on through the API, and the resident's page shows the change.
 */
const skip = browserSkip;

let rig: BrowserRig;
let server: ServerProcess;
let browser: Browser;
let photosRoute = false;

before(async () => {
  if (skip) return;
  rig = await startBrowserRig('shanzhi-web-e2e-');
  ({ server, browser } = rig);
  // The photo upload belongs to the attachments API: the step runs where the server has it.
  const probe = await fetch(`${server.url}/api/v1/attachments`, { method: 'POST' });
  photosRoute = probe.status !== 404 || (await probe.json()).error?.code !== 'route.not_found';
});

after(async () => {
  if (!skip) await rig?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page };
}

/** Searches the categories and picks one by its code. */
async function pickCategory(page: Page, search: string, code: string) {
  await page.getByTestId('category-search').fill(search);
  await page.locator(`button[data-code="${code}"]`).click();
  await page.getByTestId('category-chosen').waitFor();
}

/** Taps the middle of the map once it is drawn (MapLibre, or the SVG drawing without WebGL). */
async function pinOnMap(page: Page) {
  const map = page.getByTestId('map');
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="map"]');
    return (
      el?.getAttribute('data-mode') === 'svg' ||
      (el?.getAttribute('data-mode') === 'webgl' && el.querySelector('canvas[data-ready="true"]') !== null)
    );
  });
  await map.scrollIntoViewIfNeeded();
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.getByText(/已标记位置/).waitFor();
}

async function staff(username: string) {
  const res = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  assert.equal(res.status, 200);
  const { token } = (await res.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return async (id: string, action: string, extra: Record<string, unknown> = {}) => {
    const current = (await (await fetch(`${server.url}/api/v1/cases/${id}`, { headers })).json()) as {
      version: number;
    };
    const res = await fetch(`${server.url}/api/v1/cases/${id}/actions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action, expected_version: current.version, ...extra }),
    });
    assert.equal(res.status, 200, await res.text());
  };
}

test(
  'a resident reports a problem with a photo, staff move it on, and the resident’s page shows it',
  { skip, timeout: 180_000 },
  async (t) => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${server.url}/`);
      await pickCategory(page, '垃圾箱', 'BJ0302');
      await pinOnMap(page);
      if (photosRoute) {
        const png = await sharp({
          create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 30 } },
        })
          .png()
          .toBuffer();
        await page
          .getByTestId('photo-input')
          .setInputFiles({ name: 'rubbish.png', mimeType: 'image/png', buffer: png });
        await page.locator('.photos li[data-uploaded="true"]').waitFor();
      } else {
        t.diagnostic('no attachments API on this server: the report goes without a photo');
      }
      await page.locator('input[name="title"]').fill('小区门口垃圾堆放');
      await page.locator('textarea[name="description"]').fill('东门垃圾桶满溢，已有两天');
      await page.getByText('留下联系方式').click();
      await page.locator('input[autocomplete="name"]').fill('李四');
      await page.locator('input[autocomplete="tel"]').fill('13912345678');
      await page.getByTestId('submit').click();
      // A demo case of the same category nearby would ask "is it one of these?" first.
      const reference = page.getByTestId('reference');
      await page.locator('[data-testid="reference"], [data-testid="duplicates"]').first().waitFor();
      if (await page.getByTestId('duplicates').isVisible()) await page.getByTestId('not-duplicate').click();
      const ref = (await reference.textContent())!.trim();
      assert.match(ref, /^330106-\d{8}-\d{5}$/);
      const held = await page.evaluate(() => localStorage.getItem('shanzhi.keys'));
      assert.ok(held && JSON.parse(held)[ref].key, 'the reporter key is kept by reference');

      await page.getByTestId('view-case').click();
      await page.locator('[data-testid="status"][data-status="reported"]').waitFor();
      assert.equal(await page.locator('[data-testid="timeline"] li').count(), 1);
      const publicView = (await (await fetch(`${server.url}/api/v1/public/cases/${ref}`)).json()) as {
        id: string;
        photos: string[];
      };
      assert.equal(publicView.photos.length, photosRoute ? 1 : 0);
      if (photosRoute) {
        // The reporter's browser shows its own photo before the case is public (with its key).
        await page.waitForFunction(() => {
          const img = document.querySelector<HTMLImageElement>('[data-testid="photos"] img');
          return img !== null && img.complete && img.naturalWidth > 0;
        });
      }

      const act = await staff('county.center');
      await act(publicView.id, 'register');
      await act(publicView.id, 'dispatch');

      await page.reload();
      await page.locator('[data-testid="status"][data-status="dispatched"]').waitFor();
      const dispatch = page.locator('[data-testid="timeline"] li[data-action="dispatch"]');
      await dispatch.waitFor();
      assert.match((await dispatch.textContent())!, /派遣/);
      assert.match((await dispatch.textContent())!, /城市管理局/);
      assert.equal(await page.locator('[data-testid="timeline"] li').count(), 3);
      const text = (await page.locator('main').textContent())!;
      assert.ok(!text.includes('李四') && !text.includes('13912345678'), 'the page names no reporter');

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByText('Dispatched', { exact: true }).first().waitFor();

      // Handled and closed: this browser holds the reporter key, so it may say whether it is fixed.
      const urban = await staff('dept.urban');
      await urban(publicView.id, 'accept');
      await urban(publicView.id, 'feedback', { evidence: ['已清运'] });
      await act(publicView.id, 'verify_pass');
      await act(publicView.id, 'close');
      await page.reload();
      await page.locator('[data-testid="status"][data-status="closed"]').waitFor();
      const verdict = page.getByTestId('verdict');
      await verdict.getByRole('button', { name: 'Not fixed' }).click();
      await verdict.getByRole('radio', { name: '2 stars' }).click();
      await verdict.locator('textarea').fill('垃圾箱还是满的');
      await verdict.getByRole('button', { name: 'Send' }).click();
      await page.getByText('The case has been reopened').waitFor();
      await page.locator('[data-testid="status"][data-status="registered"]').waitFor();
      assert.equal(await page.getByTestId('verdict').count(), 0);
      assert.equal(await page.locator('[data-testid="timeline"] li[data-action="reopen"]').count(), 1);
    } finally {
      await context.close();
    }
  },
);

test(
  'a draft survives a reload, and a report sent offline goes out once when the connection returns',
  { skip, timeout: 120_000 },
  async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${server.url}/`);
      await pickCategory(page, '井盖', 'BJ0102');
      await pinOnMap(page);
      await page.locator('input[name="title"]').fill('污水井盖破损');
      await page.locator('input[name="address"]').fill('西溪路 1 号');
      await page.reload();
      await page.getByTestId('draft-restored').waitFor();
      assert.equal(await page.locator('input[name="title"]').inputValue(), '污水井盖破损');
      assert.equal(await page.locator('input[name="address"]').inputValue(), '西溪路 1 号');
      await page.getByTestId('category-chosen').waitFor();
      await page.getByText(/已标记位置/).waitFor();
      const draftId = await page.evaluate(
        () => JSON.parse(localStorage.getItem('shanzhi.draft')!).id as string,
      );

      await context.setOffline(true);
      await page.getByTestId('submit').click();
      await page.getByTestId('queued').waitFor();
      await context.setOffline(false); // the `online` event sends it
      const ref = (await page.getByTestId('reference').textContent())!.trim();
      assert.match(ref, /^330106-\d{8}-\d{5}$/);

      // The draft's idempotency key names that case: sending it again answers the same one.
      const again = await fetch(`${server.url}/api/v1/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: 'web',
          title: '污水井盖破损',
          description: '污水井盖破损',
          location: { address: '西溪路 1 号', region: '330106' },
          idempotency_key: draftId,
        }),
      });
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { reference: string }).reference, ref);
      assert.equal(await page.evaluate(() => localStorage.getItem('shanzhi.draft')), null);
    } finally {
      await context.close();
    }
  },
);
