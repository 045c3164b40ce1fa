import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  browserSkip,
  chineseOnlyTexts,
  screenshot,
  seriousViolations,
  signIn,
  startBrowserRig,
  type BrowserRig,
} from '../helpers/browser.ts';

/**
 * The rule editors in headless Chromium against the real server: the administrator edits 西湖区's
 * responsibility list in the table, sees the validator's problem on its row, fixes it, compares
 * with the published version and publishes version 2; a township handler reads the same list
 * without a single editing control.
 */
const skip = browserSkip;
const XIHU = '330106000000';

let rig: BrowserRig;

before(async () => {
  if (skip) return;
  rig = await startBrowserRig('shanzhi-console-rules-');
});

after(async () => {
  if (!skip) await rig?.close();
});

async function openEditor(page: Page): Promise<void> {
  await page.goto(`${rig.server.url}/console/rules/responsibility?region=${XIHU}`);
  await page.getByTestId('entries').waitFor();
}

interface ListItem {
  id: string;
  version: number | null;
  status: string;
}

test(
  'an administrator edits a draft row, sees the problem on that row, fixes it, compares and publishes version 2',
  { skip, timeout: 240_000 },
  async () => {
    const page = await signIn(rig, 'admin');
    await openEditor(page);
    assert.match((await page.getByTestId('list-state').textContent())!, /第 1 版/);

    await page.getByTestId('open-draft').click();
    await page.getByTestId('validate').waitFor();
    const row = page.getByTestId('entry-0');
    const entryId = (await row.getAttribute('data-entry-id'))!;
    await page.getByTestId('edit-entry-0').click();
    const category = page.locator('input[name="entry-0-category"]');
    const original = await category.inputValue();
    await category.fill('ZZ99');
    await page.getByTestId('validate').click();
    const problems = page.getByTestId('entry-0-problems');
    await problems.waitFor();
    assert.match((await problems.textContent())!, /ZZ99/);
    assert.equal(await row.getAttribute('class'), 'invalid');
    assert.match((await page.getByTestId('resp-status').textContent())!, /1 处问题/);

    const a11y = await seriousViolations(page);
    assert.deepEqual(a11y, [], JSON.stringify(a11y, null, 2));
    await screenshot(page, 'console-rules-responsibility');

    await category.fill(original);
    await page.locator('input[name="entry-0-law"]').fill('《杭州市城市管理条例》');
    await page.getByTestId('validate').click();
    await page.getByText('校验通过，可以发布').waitFor();
    assert.equal(await problems.count(), 0);

    await page.getByTestId('compare').click();
    const changed = page.getByTestId('diff-changed');
    await changed.waitFor();
    assert.match((await changed.textContent())!, new RegExp(`${entryId}.*法律依据`));

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Responsibility lists' }).waitFor();
    assert.deepEqual(await chineseOnlyTexts(page), []);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '权责清单' }).waitFor();

    await page.getByTestId('publish').click();
    await page.getByText('已发布为第 2 版').waitFor();
    assert.equal(await page.getByTestId('edit-entry-0').count(), 0, 'a published version has no row editor');

    const versions = (await (
      await fetch(`${rig.server.url}/api/v1/responsibility/lists?region=${XIHU}`)
    ).json()) as { items: ListItem[] };
    assert.deepEqual(
      versions.items.map((v) => [v.version, v.status]),
      [
        [2, 'published'],
        [1, 'superseded'],
      ],
    );
    const v2 = (await (
      await fetch(`${rig.server.url}/api/v1/responsibility/lists/${versions.items[0]!.id}`)
    ).json()) as { entries: Array<{ id: string; category_code: string; legal_basis: { law: string } }> };
    const edited = v2.entries.find((e) => e.id === entryId)!;
    assert.equal(edited.category_code, original);
    assert.equal(edited.legal_basis.law, '《杭州市城市管理条例》');

    // A malformed file is refused whole, every bad line named; nothing becomes a draft.
    await page.getByTestId('import-file').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('record,id,category_code\nentry,x1,\n', 'utf8'),
    });
    const importErrors = page.getByTestId('import-errors');
    await importErrors.waitFor();
    assert.match((await importErrors.textContent())!, /未导入任何内容/);
    const after = (await (
      await fetch(`${rig.server.url}/api/v1/responsibility/lists?region=${XIHU}`)
    ).json()) as { items: ListItem[] };
    assert.equal(after.items.filter((v) => v.status === 'draft').length, 0);
    await page.context().close();
  },
);

test(
  'a township handler reads the list and its versions without any editing control',
  { skip, timeout: 120_000 },
  async () => {
    const page = await signIn(rig, 'township.handler');
    await openEditor(page);
    await page.getByTestId('entry-0').waitFor();
    assert.match((await page.getByTestId('list-state').textContent())!, /只读/);
    for (const id of [
      'resp-toolbar',
      'open-draft',
      'edit-entry-0',
      'remove-entry-0',
      'add-entry',
      'import-file',
    ])
      assert.equal(await page.getByTestId(id).count(), 0, `no ${id} for a reader`);
    assert.equal(
      await page.locator('[data-testid="entries"] input, [data-testid="duties"] select').count(),
      0,
    );
    assert.equal(await page.getByTestId('export-csv').count(), 1, 'the published list can be exported');
    const a11y = await seriousViolations(page);
    assert.deepEqual(a11y, [], JSON.stringify(a11y, null, 2));
    await page.context().close();
  },
);

test(
  'every rule section opens for the administrator with no serious axe violation and nothing left in Chinese in English',
  { skip, timeout: 240_000 },
  async () => {
    const page = await signIn(rig, 'admin');
    await page.waitForURL(/\/console\/rules$/);
    await page.getByRole('heading', { name: '规则配置' }).waitFor();
    const indexA11y = await seriousViolations(page);
    assert.deepEqual(indexA11y, [], JSON.stringify(indexA11y, null, 2));
    const sections: Array<[string, string, string]> = [
      ['taxonomy', 'taxonomy', '.tree li'],
      ['departments', 'departments', 'table'],
      ['calendar', 'calendar', 'table'],
      ['users', 'users', 'table'],
      ['keys', 'keys', 'table'],
      [`grids?region=${XIHU}`, 'grids', 'table'],
    ];
    for (const [path, testId, shown] of sections) {
      await page.goto(`${rig.server.url}/console/rules/${path}`);
      await page.getByTestId(testId).locator(shown).first().waitFor();
      const a11y = await seriousViolations(page);
      assert.deepEqual(a11y, [], `${path}: ${JSON.stringify(a11y, null, 2)}`);
    }
    // The grid import lists every bad feature and imports nothing; a good file is imported whole.
    const feature = (name: string) => ({
      type: 'Feature',
      properties: { code: '33010600205199', name, community_code: '330106002051' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0.5, 0.5],
            [0.51, 0.5],
            [0.51, 0.51],
            [0.5, 0.51],
            [0.5, 0.5],
          ],
        ],
      },
    });
    const geojson = (name: string) => ({
      name: 'grids.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [feature(name)] })),
    });
    const before = (await page.getByTestId('grids').locator('caption').textContent())!;
    await page.getByTestId('grid-file').setInputFiles(geojson(''));
    await page.getByRole('button', { name: '上传并导入' }).click();
    const gridErrors = page.getByTestId('grid-errors');
    await gridErrors.waitFor();
    assert.match((await gridErrors.textContent())!, /missing_name/);
    await page.getByTestId('grid-file').setInputFiles(geojson('测试网格'));
    await page.getByRole('button', { name: '上传并导入' }).click();
    await page.getByTestId('grid-imported').waitFor();
    assert.match((await page.getByTestId('grid-imported').textContent())!, /新增 1 个/);
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="grids"] caption')?.textContent !== text,
      before,
    );

    // A grid worker is put on the new grid through the form under its row.
    await page.getByRole('button', { name: '查看网格员 33010600205199' }).click();
    const workers = page.getByTestId('workers-33010600205199');
    await workers.getByText('尚未安排网格员').waitFor();
    await workers.locator('input[name="worker_ref"]').fill('grid.worker');
    await workers.locator('input[name="worker_name"]').fill('测试网格员');
    await workers.getByRole('button', { name: '安排网格员' }).click();
    await workers.getByText('测试网格员 (grid.worker)').waitFor();
    const gridA11y = await seriousViolations(page);
    assert.deepEqual(gridA11y, [], JSON.stringify(gridA11y, null, 2));

    // An Open311 key is shown once, then listed without it.
    await page.goto(`${rig.server.url}/console/rules/keys`);
    await page.getByTestId('keys').locator('table').waitFor();
    await page.locator('input[name="label"]').fill('随手拍测试');
    await page.getByRole('button', { name: '签发', exact: true }).click();
    assert.match((await page.getByTestId('issued-key').textContent())!, /\S{20,}/);
    await page.getByRole('button', { name: 'English' }).click();
    for (const [path, testId, shown] of sections) {
      await page.goto(`${rig.server.url}/console/rules/${path}`);
      await page.getByTestId(testId).locator(shown).first().waitFor();
      assert.deepEqual(await chineseOnlyTexts(page), [], path);
    }
    await page.context().close();
  },
);
