import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import sharp from 'sharp';

/**
 * Steps on the console's pages that several browser tests take: a resident's report through the
 * API, opening a case, and an action clicked and filled in the case page's form.
 */

export interface Reported {
  id: string;
  reference: string;
  reporter_key: string;
}

/** A resident's report through the public API (POST /api/v1/cases, no account). */
export async function report(
  baseUrl: string,
  fields: { title: string; category?: string; location?: { lon: number; lat: number } },
): Promise<Reported> {
  const res = await fetch(`${baseUrl}/api/v1/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: 'web',
      category: fields.category ?? 'BJ0302',
      title: fields.title,
      description: '东门垃圾桶满溢，已有两天',
      location: fields.location ?? { lon: 120.13, lat: 30.27 },
      reporter: { name: '李四', phone: '13912345678' },
    }),
  });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return JSON.parse(text) as Reported;
}

export async function openCase(page: Page, baseUrl: string, id: string): Promise<void> {
  await page.goto(`${baseUrl}/console/cases/${id}`);
  await page.getByTestId('case').waitFor();
}

/** Clicks an action the server lists, fills what its form needs, and waits for the new stage. */
export async function act(
  page: Page,
  action: string,
  fill: (page: Page) => Promise<void>,
  stage: string,
): Promise<void> {
  await page.locator(`[data-testid="allowed-actions"] button[data-action="${action}"]`).click();
  await fill(page);
  await page.getByTestId('act-submit').click();
  await page.locator(`[data-testid="case"][data-status="${stage}"]`).waitFor();
  await page.getByTestId('done').waitFor();
}

export const nothing = async (): Promise<void> => undefined;

/** Fills the reason of an action's form. */
export const reason =
  (text: string) =>
  async (page: Page): Promise<void> => {
    await page.locator('textarea[name="reason"]').fill(text);
  };

/** A small PNG of one colour: a photo to upload. */
export function photo(rgb: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: rgb } })
    .png()
    .toBuffer();
}

/** Uploads a photo through an action's evidence input and names what was done. */
export const evidence =
  (name: string, text: string) =>
  async (page: Page): Promise<void> => {
    const png = await photo({ r: 30, g: 140, b: 60 });
    await page.getByTestId('evidence-input').setInputFiles({ name, mimeType: 'image/png', buffer: png });
    await page.locator('.action-form .photos li[data-uploaded="true"]').waitFor();
    await page.locator('input[name="evidence_text"]').fill(text);
  };
