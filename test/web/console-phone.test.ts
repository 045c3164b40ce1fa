import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import {
  browserSkip,
  chineseOnlyTexts,
  screenshot,
  seriousViolations,
  signIn,
  startBrowserRig,
  type BrowserRig,
} from '../helpers/browser.ts';
import type { ServerProcess } from '../helpers/server.ts';

/**
 * The grid worker's phone pages (/console/grid) in headless Chromium at 390 × 844 against the real
 * server: a patrol report with photos and "use my location", written and submitted with no
 * network, survives a reload, and once the network returns is filed once and resolved on the spot
 * once — even when the answers to both requests are lost on the way back.
 */
const skip = browserSkip;

let rig: BrowserRig;
let server: ServerProcess;
/** A point inside a grid of the worker's community (上保社区, 330106002051). */
let spot: { longitude: number; latitude: number };

const COMMUNITY = '330106002051';

before(async () => {
  if (skip) return;
  rig = await startBrowserRig('shanzhi-phone-e2e-');
  ({ server } = rig);
  const grids = (await (await fetch(`${server.url}/api/v1/grids?within=${COMMUNITY}`)).json()) as {
    features: Array<{ geometry: { type: string; coordinates: unknown } }>;
  };
  for (const f of grids.features) {
    const ring = (
      f.geometry.type === 'Polygon'
        ? (f.geometry.coordinates as number[][][])[0]
        : (f.geometry.coordinates as number[][][][])[0]![0]
    )!.slice(0, -1);
    const lon = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
    const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
    const located = await fetch(`${server.url}/api/v1/locate?lon=${lon}&lat=${lat}`);
    if (located.ok && ((await located.json()) as { region: { code: string } }).region.code === COMMUNITY) {
      spot = { longitude: lon, latitude: lat };
      break;
    }
  }
  assert.ok(spot, 'a point inside one of the community’s grids');
});

after(async () => {
  if (!skip) await rig?.close();
});

/** A bearer session of a demo user, for reading what the server holds. */
async function apiAs(username: string) {
  const res = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  assert.equal(res.status, 200);
  const { token } = (await res.json()) as { token: string };
  const raw = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const json = async <T>(path: string): Promise<T> => {
    const answer = await raw(path);
    const text = await answer.text();
    assert.equal(answer.status, 200, text);
    return JSON.parse(text) as T;
  };
  return { raw, json };
}

interface Timeline {
  status: string;
  channel: string;
  timeline: Array<{ action: string; role: string; payload: Record<string, unknown> }>;
}

/** The cases of that title, as the county's command centre sees them. */
async function casesTitled(title: string) {
  const { json: get } = await apiAs('county.center');
  const list = await get<{ items: Array<{ id: string; title: string; status: string }> }>(
    `/api/v1/cases?channel=patrol&region=${COMMUNITY}&limit=100`,
  );
  const found = list.items.filter((c) => c.title === title);
  return Promise.all(found.map((c) => get<Timeline & { id: string }>(`/api/v1/cases/${c.id}`)));
}

const jpeg = (r: number, g: number, b: number) =>
  sharp({ create: { width: 80, height: 60, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();

/** The photos an outbox item names that are kept in this browser's IndexedDB. */
async function keptPhotos(page: Page, user: string): Promise<number> {
  return page.evaluate(async (key) => {
    const items = JSON.parse(localStorage.getItem(key) ?? '[]') as Array<{
      report: { photos: Array<{ local: string }>; evidence: Array<{ local: string }> };
    }>;
    const locals = items.flatMap((i) => [...i.report.photos, ...i.report.evidence].map((p) => p.local));
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('shanzhi', 1);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    let kept = 0;
    for (const local of locals) {
      const blob = await new Promise<unknown>((resolve) => {
        const get = db.transaction('photos').objectStore('photos').get(local);
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => resolve(undefined);
      });
      if (blob instanceof Blob && blob.size > 0) kept += 1;
    }
    db.close();
    return kept;
  }, `shanzhi.grid.outbox.${user}`);
}

test(
  'a grid worker on a phone reports a problem with a photo while offline; back online, the case appears once, resolved on the spot',
  { skip, timeout: 300_000 },
  async () => {
    const page = await signIn(rig, 'grid.worker', {
      viewport: { width: 390, height: 844 },
      context: {
        geolocation: { ...spot, accuracy: 8 },
        permissions: ['geolocation'],
        isMobile: true,
        hasTouch: true,
      },
    });
    const context = page.context();
    try {
      await page.goto(`${server.url}/console/grid`);
      await page.getByTestId('grid-page').waitFor();
      // The shell is kept for a reload without network before the worker goes out of coverage.
      await page.locator('[data-testid="grid-page"][data-offline-ready="true"]').waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'the tasks page has no serious axe violation');

      await page.getByTestId('to-report').click();
      const category = page.locator('select[name="category"]');
      await category.locator('option[value="BJ0302"]').waitFor({ state: 'attached' });
      assert.deepEqual(await seriousViolations(page), [], 'the report form has no serious axe violation');

      // Out of coverage: the whole report is written and submitted offline.
      await context.setOffline(true);
      await page.locator('.grid-status.off').waitFor();
      const title = `人行道井盖缺失（网格员手机测试 ${Date.now()}）`;
      await category.selectOption('BJ0302');
      await page.locator('input[name="title"]').fill(title);
      await page.locator('textarea[name="description"]').fill('南门人行道井盖缺失，已临时围挡');
      await page.getByTestId('locate').click();
      await page.getByTestId('located').waitFor();
      await page
        .getByTestId('patrol-photo')
        .setInputFiles({ name: 'problem.jpg', mimeType: 'image/jpeg', buffer: await jpeg(160, 40, 30) });
      await page
        .locator('[data-testid="patrol-form"] .photos li[data-uploaded="false"] img')
        .first()
        .waitFor();
      assert.ok(
        await page.locator('input[name="how"][value="resolve"]').isChecked(),
        'resolving is the default',
      );
      await page
        .getByTestId('patrol-evidence')
        .setInputFiles({ name: 'fixed.jpg', mimeType: 'image/jpeg', buffer: await jpeg(30, 140, 60) });
      await page.locator('.evidence .photos li img').waitFor();
      await page.locator('input[name="done"]').fill('已安装临时井盖');
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'phone');

      await page.getByTestId('patrol-submit').click();
      const item = page.getByTestId('outbox-item');
      await page.locator('[data-testid="outbox-item"][data-state="waiting"]').waitFor();
      assert.match((await item.textContent())!, /等待联网发送/);

      // A reload with no network: the page opens from the offline shell, the report and its
      // photos are still there.
      await page.reload();
      await page.getByTestId('grid-page').waitFor();
      await page.locator('[data-testid="outbox-item"][data-state="waiting"]').waitFor();
      assert.equal(await page.getByTestId('outbox-item').count(), 1);
      assert.match((await item.textContent())!, new RegExp(title.replace(/[()（）]/g, '.')));
      assert.equal(await keptPhotos(page, 'grid.worker'), 2, 'both photos are kept in IndexedDB');
      await page.locator('[data-testid="grid-page"][data-offline-ready="true"]').waitFor();
      await page.locator('.grid-status.off').waitFor();
      await screenshot(page, 'phone-outbox');

      // Back online, the answers to the first report and the first self_resolve are lost on the
      // way back (the server acts, the phone hears nothing): the retries must not file or resolve
      // twice.
      const lost = { report: 0, resolve: 0 };
      await context.route('**/api/v1/cases', async (route) => {
        if (route.request().method() !== 'POST' || lost.report > 0) return route.fallback();
        lost.report += 1;
        await route.fetch();
        await route.abort('connectionreset');
      });
      await context.route('**/api/v1/cases/*/actions', async (route) => {
        if (lost.resolve > 0) return route.fallback();
        lost.resolve += 1;
        await route.fetch();
        await route.abort('connectionreset');
      });
      await context.setOffline(false);
      await page.locator('[data-testid="outbox-item"][data-state="resolved"]').waitFor({ timeout: 90_000 });
      assert.deepEqual(lost, { report: 1, resolve: 1 }, 'both first answers were dropped');

      const once = async () => {
        const cases = await casesTitled(title);
        assert.equal(cases.length, 1, 'exactly one case of that title');
        const c = cases[0]!;
        assert.equal(c.channel, 'patrol');
        assert.equal(c.status, 'awaiting_verification', 'resolved on the spot, waiting for verification');
        const actions = c.timeline.map((e) => e.action);
        assert.deepEqual(actions, ['report', 'self_resolve']);
        assert.equal(c.timeline[0]!.role, 'grid_worker');
        const photos = c.timeline[0]!.payload.photos as string[];
        const evidence = c.timeline[1]!.payload.evidence as string[];
        assert.equal(photos.length, 1, 'the problem photo came with the report');
        assert.equal(evidence.filter((e) => e.startsWith('/api/v1/attachments/')).length, 1);
        assert.ok(evidence.includes('已安装临时井盖'));
        return { id: c.id, evidence: evidence[0]! };
      };
      const first = await once();
      const worker = await apiAs('grid.worker');
      const photo = await worker.raw(`${first.evidence}/thumbnail`);
      assert.equal(photo.status, 200, 'the evidence photo is stored and the worker may see it');
      assert.equal(await keptPhotos(page, 'grid.worker'), 0, 'sent photos leave the phone’s storage');

      // The fix waits for verification: in the worker's tasks, with the photo of the fix.
      const task = page.locator(`[data-testid="verify-list"] li[data-id="${first.id}"]`);
      await task.locator('[data-testid="evidence"] img').waitFor();
      await page.waitForFunction(
        (id) =>
          [
            ...document.querySelectorAll<HTMLImageElement>(
              `li[data-id="${id}"] [data-testid="evidence"] img`,
            ),
          ].some((img) => img.complete && img.naturalWidth > 0),
        first.id,
      );

      // Later rounds of the outbox (every 10 s) change nothing.
      await page.waitForTimeout(12_000);
      const second = await once();
      assert.equal(second.id, first.id);
      assert.equal(await page.getByTestId('outbox-item').count(), 1);
      assert.match((await page.getByTestId('outbox-reference').textContent())!, /^330106-\d{8}-\d{5}$/);

      // In English, no label is left in Chinese (titles, places and categories are data).
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByText('Reports to send').waitFor();
      assert.deepEqual(await chineseOnlyTexts(page), [], 'tasks page in English');
      await page.getByTestId('to-report').click();
      await page.getByTestId('patrol-form').waitFor();
      assert.deepEqual(await chineseOnlyTexts(page), [], 'report form in English');
    } finally {
      await context.close();
    }
  },
);
