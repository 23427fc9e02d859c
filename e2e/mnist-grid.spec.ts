// The MNIST demo in the grid: 70,000 items, only the rows in view exist in the page, and
// thumbnails load wherever the user scrolls to.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { winnow } from './support/cli';
import { startWebServer, type WebServer } from './support/server';

let dir: string;
let server: WebServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  winnow('import', 'mnist', '--project', join(dir, 'mnist.winnow'));
  server = await startWebServer(['--project', join(dir, 'mnist.winnow')]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('scrolls through all 70,000 digits with a bounded DOM', async ({ page }, testInfo) => {
  await page.goto(server.url);
  await expect(page.getByTestId('total-count')).toHaveText('70,000');
  await expect(page.getByTestId('split-counts')).toContainText('60,000');
  const grid = page.getByTestId('thumbnail-grid');
  await expect(grid.locator('.cell img').first()).toBeVisible();
  for (const fraction of [0.25, 0.5, 0.75, 1]) {
    await grid.evaluate((el, f) => { el.scrollTop = (el.scrollHeight - el.clientHeight) * f; }, fraction);
    await page.waitForTimeout(300);
    expect(await grid.locator('.cell').count()).toBeLessThan(600);
  }
  const last = grid.locator('.cell[data-sample-id="70000"]');
  await expect(last).toBeVisible();
  await expect(last.locator('img')).toBeVisible();
  expect(await last.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(28);
  await page.screenshot({ path: testInfo.outputPath('grid-end.png') });
  await last.click();
  await expect(page.getByTestId('detail-panel')).toContainText('test/09999.png');
});
