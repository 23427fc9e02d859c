// Foundation flow: create a project, import a generated folder with bad files, watch progress,
// check per-label counts, thumbnails and the list of bad files.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixtureFolder } from '../src-main/testing/fixture-images';
import { fashionMissing } from '../src-main/testing/curation/fashion';
import { createProjectInUi } from './support/project';
import { startWebServer, type WebServer } from './support/server';

let dir: string;
let server: WebServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  server = await startWebServer();
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('create a project, import a folder, browse it', async ({ page }, testInfo) => {
  const fixture = await makeFixtureFolder(join(dir, 'shapes'), { perClass: 100, bad: true });
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Create or open a project' })).toBeVisible();
  await createProjectInUi(page, join(dir, 'shapes.winnow'));
  // Starting with no project open is not an error: nothing asked the server for a project's jobs
  // before there was one (a toast said "no project is open" here; toasts stay several seconds).
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);

  await page.keyboard.press('i');
  await page.getByLabel('Folder path').fill(fixture.root);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const bar = page.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('import-summary')).toContainText(`Imported ${fixture.good} new images`, { timeout: 60_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', String(fixture.good + fixture.badFiles.length));
  const problems = page.getByTestId('import-problems');
  for (const bad of fixture.badFiles) await expect(problems).toContainText(bad);
  await expect(problems).toContainText('over the 100-megapixel limit');
  await page.screenshot({ path: testInfo.outputPath('import-summary.png') });
  await page.keyboard.press('Escape');

  await expect(page.getByTestId('total-count')).toHaveText(String(fixture.good));
  const counts = page.getByTestId('label-counts');
  for (const cls of ['circle', 'square', 'stripes']) await expect(counts.locator(`[data-label="${cls}"]`)).toContainText('100');

  const grid = page.getByTestId('thumbnail-grid');
  const firstImg = grid.locator('.cell img').first();
  await expect(firstImg).toBeVisible();
  const natural = await firstImg.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
  expect(natural).toBeGreaterThan(0);
  await expect(grid.locator('.cell .badge').first()).toHaveText('circle');
  await page.screenshot({ path: testInfo.outputPath('grid.png') });

  await counts.locator('[data-label="stripes"]').click();
  await expect(page.getByText('100 shown · label = stripes')).toBeVisible();
  await grid.locator('.cell').first().click();
  await expect(page.getByTestId('detail-label')).toHaveText('stripes');
  await expect(page.getByTestId('detail-panel').locator('img')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('detail.png') });
});

test('refuses a file that is not a Winnow project with a clear message', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Project…' }).click();
  await page.getByLabel('Project file path').fill(join(dir, 'shapes', 'circle', 'notes.png'));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('not a Winnow project');
});

test('a page without the launch token reaches no data and says how to get in', async ({ page }) => {
  await page.goto(server.baseUrl + '/');
  await expect(page.getByRole('alert')).toContainText('missing or wrong access token');
  await expect(page.getByRole('button', { name: 'Create or open a project' })).toHaveCount(0);
  // A wrong token is refused by the server; the page says so instead of hanging.
  await page.goto(server.baseUrl + '/#token=wrong-token-of-some-length');
  await expect(page.getByRole('alert')).toContainText('wrong access token');
});

test('the token leaves the address bar and survives a reload in the same tab, with no cookie', async ({ page, context }) => {
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Create or open a project' }).or(page.getByRole('button', { name: 'Project…' })).first()).toBeVisible();
  expect(page.url()).not.toContain('token');
  expect(await context.cookies()).toEqual([]);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Create or open a project' }).or(page.getByRole('button', { name: 'Project…' })).first()).toBeVisible();
});

test('import the Fashion-MNIST demo from the dialog: its classes by name', async ({ page }, testInfo) => {
  test.skip(fashionMissing() !== undefined, fashionMissing());
  await page.goto(server.url);
  await createProjectInUi(page, join(dir, 'fashion.winnow'));
  await page.keyboard.press('i');
  await page.getByRole('radio', { name: /Fashion-MNIST demo/ }).check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  // The import's last pass makes every image's look (import-looks.ts), shown in the jobs bar as a pass of its own.
  await expect(page.getByTestId('job-import')).toContainText('looks of the images', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('fashion-import-looks.png') });
  await expect(page.getByTestId('import-summary')).toContainText('Imported 70000 new images', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('fashion-import.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-count')).toHaveText((70_000).toLocaleString());
  const counts = page.getByTestId('label-counts');
  for (const cls of ['Ankle boot', 'T-shirt/top', 'Bag']) await expect(counts.locator(`[data-label="${cls}"] .count-num`)).toHaveText((7_000).toLocaleString());
  await page.screenshot({ path: testInfo.outputPath('fashion-grid.png') });
});

test('the Fashion-MNIST demo where it is not installed: the dialog says why and how to install it', async ({ page }, testInfo) => {
  const bare = await startWebServer([], undefined, { WINNOW_FASHION_DIR: join(dir, 'no-fashion-here') });
  try {
    await page.goto(bare.url);
    await createProjectInUi(page, join(dir, 'no-fashion.winnow'));
    await page.keyboard.press('i');
    await page.getByRole('radio', { name: /Fashion-MNIST demo/ }).check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import images' });
    await expect(dialog).toContainText('Fashion-MNIST is not installed', { timeout: 5_000 });
    await expect(dialog).toContainText('apt-get install dataset-fashion-mnist');
    await page.screenshot({ path: testInfo.outputPath('fashion-missing.png') });
    await expect(page.getByTestId('total-count')).toHaveText('0');
  } finally {
    await bare.stop();
  }
});
