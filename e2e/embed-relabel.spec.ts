// Embedding from the UI (progress, provider), similarity search in the detail view, and
// relabelling with undo, checked through the contract; the open detail panel then shows the
// scores the map job makes.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixtureFolder } from '../src-main/testing/fixture-images';
import { connectApi } from './support/api';
import { winnow } from './support/cli';
import { startWebServer, type WebServer } from './support/server';

let dir: string;
let server: WebServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const fixture = await makeFixtureFolder(join(dir, 'shapes'), { perClass: 20 });
  winnow('import', fixture.root, '--project', join(dir, 'shapes.winnow'));
  server = await startWebServer(['--project', join(dir, 'shapes.winnow')]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('compute embeddings, find similar images, relabel and undo', async ({ page }, testInfo) => {
  const api = await connectApi(server.url);
  await page.goto(server.url);
  await expect(page.getByTestId('total-count')).toHaveText('60');

  await page.keyboard.press('e');
  await page.getByLabel('Device').selectOption('cpu');
  await page.getByRole('button', { name: 'Compute embeddings' }).click();
  await expect(page.getByTestId('embed-summary')).toContainText('Embedded 60 images', { timeout: 90_000 });
  await expect(page.getByTestId('embed-provider')).toHaveText('CPU');
  await page.screenshot({ path: testInfo.outputPath('embed-done.png') });
  await page.keyboard.press('Escape');

  const grid = page.getByTestId('thumbnail-grid');
  await grid.locator('.cell').first().click();
  await expect(page.getByTestId('detail-label')).toHaveText('circle');
  const similar = page.getByTestId('similar').locator('.similar-cell');
  await expect(similar).toHaveCount(12);
  const labels = await similar.evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
  expect(labels.filter((l) => l === 'circle').length).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: testInfo.outputPath('similar.png') });

  const id = Number(await grid.locator('.cell').first().getAttribute('data-sample-id'));
  await page.getByLabel('New label').fill('oval');
  await page.getByLabel('New label').press('Enter');
  await expect(page.getByTestId('detail-label')).toHaveText('oval');
  await expect(page.getByTestId('detail-original-label')).toHaveText('circle');
  await expect(grid.locator('.cell .badge').first()).toHaveText('oval');
  expect((await api.call('samples.get', { id })).label).toBe('oval');
  await expect(page.getByTestId('label-history')).toContainText('circle → oval');

  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('detail-label')).toHaveText('circle');
  expect((await api.call('samples.get', { id })).label).toBe('circle');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('detail-label')).toHaveText('oval');
  expect((await api.call('samples.get', { id })).label).toBe('oval');
  await page.screenshot({ path: testInfo.outputPath('relabel.png') });

  // The map: empty state names the step, then the layout is computed from the UI.
  await page.getByRole('tab', { name: 'Map' }).click();
  await expect(page.getByTestId('map-empty')).toContainText('No map yet');
  await page.getByRole('button', { name: 'Compute map' }).click();
  await expect(page.getByTestId('map-canvas')).toHaveAttribute('data-view', /scale/, { timeout: 60_000 });
  await expect.poll(async () => (await api.call('map.get', {}))?.ids.length ?? 0, { timeout: 60_000 }).toBe(60);
  await expect(page.getByLabel('Colour by').locator('option[value="noise"]')).toBeEnabled({ timeout: 30_000 });
  // The detail panel, open on the relabelled sample since before the map, shows the scores the
  // map job just made, not the "no scores yet" it showed before.
  await expect(page.getByTestId('job-map')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('evidence-reason')).not.toContainText('No scores yet');
  await expect(page.getByTestId('evidence-noise')).toHaveText(/^\d\.\d{3}$/);
  await expect(page.getByTestId('evidence-suggested')).not.toHaveText('—');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: testInfo.outputPath('map.png') });
  api.close();
});

test('the accurate built-in model is chosen in the dialog and makes a set of its own', async ({ page }, testInfo) => {
  const api = await connectApi(server.url);
  await page.goto(server.url);
  await expect(page.getByTestId('total-count')).toHaveText('60');
  await page.keyboard.press('e');
  const dialog = page.getByRole('dialog', { name: 'Compute embeddings' });
  // A model file is asked for only when that is the choice, and nothing starts without one.
  await expect(dialog.getByLabel('Model file')).toHaveCount(0);
  await dialog.getByLabel('Model', { exact: true }).selectOption({ label: 'A model file (.onnx with a spec .json beside it)' });
  await expect(dialog.getByLabel('Model file')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Compute embeddings' })).toBeDisabled();
  await dialog.getByLabel('Model', { exact: true }).selectOption({ label: 'Built-in, accurate (several times slower)' });
  await expect(dialog.getByLabel('Model file')).toHaveCount(0);
  await expect(dialog.getByTestId('accurate-hint')).toContainText('whitened on this project');
  await dialog.getByLabel('Device').selectOption('cpu');
  await page.screenshot({ path: testInfo.outputPath('embed-accurate-choice.png') });
  await dialog.getByRole('button', { name: 'Compute embeddings' }).click();
  await expect(dialog.getByTestId('embed-summary')).toContainText(/Embedded 60 images with winnow-builtin-accurate/, { timeout: 120_000 });
  await expect(dialog.getByText(/winnow-builtin-accurate.* · 1024-d · cpu/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('embed-accurate.png') });
  const status = await api.call('embed.status', {});
  expect(status.sets.map((s) => s.dim)).toEqual([544, 1024]);
  expect(status.sets.find((s) => s.id === status.activeSetId)?.dim).toBe(1024);
  api.close();
});
