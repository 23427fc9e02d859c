// Issue 13, the explorer side: one slice per Run click, revealed and shown; the query bar's
// message never takes the input's width and counts inside a slice; the map's job phases, its
// steady view and one-row toolbar at 1280 px; UI state kept per project.
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixtureFolder } from '../src-main/testing/fixture-images';
import { connectApi } from './support/api';
import { winnow } from './support/cli';
import { startWebServer, type WebServer } from './support/server';

let dir: string;
let server: WebServer;
let projectA: string;
let projectB: string;
let projectC: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const data = (await makeFixtureFolder(join(dir, 'shapes'), { perClass: 12 })).root;
  projectC = join(dir, 'c.winnow');
  winnow('import', data, '--project', projectC);
  winnow('embed', '--project', projectC, '--device', 'cpu');
  projectA = join(dir, 'a.winnow');
  copyFileSync(projectC, projectA);
  winnow('map', '--project', projectA, '--k', '8');
  // The same data under another path: another project, with nothing of A's UI state.
  projectB = join(dir, 'b.winnow');
  copyFileSync(projectA, projectB);
  server = await startWebServer(['--project', projectA]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(page: Page, path: string): Promise<void> {
  await page.locator('[data-command="project"]').click();
  await page.getByLabel('Project file path').fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.locator('.project-path')).toHaveText(path);
  await expect(page.getByTestId('total-count')).toHaveText('36');
}

test('one Run click makes one slice version, shown, selected and in view', async ({ page }, testInfo) => {
  const api = await connectApi(server.url);
  await page.goto(server.url);
  const panel = page.getByTestId('curate-panel');
  await panel.getByLabel('Number of samples').fill('6');
  await panel.getByLabel('Slice name').fill('once');
  const run = panel.getByRole('button', { name: 'Run' });
  await run.dblclick();
  await expect(panel.getByTestId('curate-result')).toContainText('Slice “once” v1: 6 samples', { timeout: 60_000 });
  // Two clicks inside one task (faster than any re-render) still start one job.
  await run.evaluate((b) => { (b as unknown as { click(): void }).click(); (b as unknown as { click(): void }).click(); });
  await expect(panel.getByTestId('curate-result')).toContainText('Slice “once” v2', { timeout: 60_000 });
  await page.waitForTimeout(1500);
  const versions = (await api.call('slices.list', {})).filter((s) => s.name === 'once').map((s) => s.version);
  expect(versions.sort()).toEqual([1, 2]);
  const newest = panel.getByTestId('slices').getByRole('button', { name: /once v2/ });
  await expect(newest).toHaveAttribute('aria-pressed', 'true');
  await expect(newest).toBeInViewport();
  await expect(page.locator('.grid-head')).toHaveText('6 shown · slice once v2');
  await page.screenshot({ path: testInfo.outputPath('curate-new-slice.png') });
});

test('the query message sits under the input without narrowing it; a query in a slice counts there', async ({ page }, testInfo) => {
  await page.goto(server.url);
  const input = page.getByLabel('Query');
  const before = (await input.boundingBox())!;
  await input.fill(`label = circle and ${'x'.repeat(160)} = 1`);
  await input.press('Enter');
  const error = page.getByTestId('query-error');
  await expect(error).toBeVisible();
  const after = (await input.boundingBox())!;
  expect(Math.abs(after.width - before.width)).toBeLessThan(2);
  expect((await error.boundingBox())!.y).toBeGreaterThanOrEqual(after.y + after.height - 1);
  await page.screenshot({ path: testInfo.outputPath('query-error.png') });

  await page.getByTestId('curate-panel').getByTestId('slices').getByRole('button', { name: /once v1/ }).click();
  await input.fill('label = nothing-like-this');
  await input.press('Enter');
  await expect(page.getByTestId('query-count')).toHaveText('0 match in this slice (0 in all)');
  await expect(page.getByTestId('grid-empty')).toContainText('0 match in this slice');
  await input.fill('label = circle');
  await input.press('Enter');
  await expect(page.getByTestId('query-count')).toHaveText('2 match in this slice (12 in all)');
  await page.screenshot({ path: testInfo.outputPath('query-in-slice.png') });
  await input.press('Escape');
  await page.getByTestId('curate-panel').getByTestId('slices').getByRole('button', { name: /once v1/ }).click();
});

test('the map: one-row toolbar at 1280 px, panels that do not move it, phases to the end, one fit', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto(server.url);
  await page.getByRole('tab', { name: 'Map' }).click();
  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('data-view', /scale/);
  const toolbar = page.locator('.map-toolbar');
  expect((await toolbar.boundingBox())!.height).toBeLessThan(48);
  await expect(page.locator('[data-command="toolPan"]')).toHaveAttribute('title', /\(V\)$/);

  // Selecting opens the selection panel over the map: the canvas and the view stay put.
  const box = (await canvas.boundingBox())!;
  const view = await canvas.getAttribute('data-view');
  await page.getByLabel('Query').fill('label = circle');
  await page.getByLabel('Query').press('Enter');
  // Select takes the query's answer: wait for it, or Select may run on none.
  await expect(page.getByTestId('query-count')).toHaveText(/^\d+ match/);
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  await expect(page.getByTestId('selection-panel')).toBeVisible();
  expect((await canvas.boundingBox())!.width).toBe(box.width);
  await page.waitForTimeout(300);
  expect(await canvas.getAttribute('data-view')).toBe(view);
  expect((await toolbar.boundingBox())!.height).toBeLessThan(48);
  await page.screenshot({ path: testInfo.outputPath('map-selection-1280.png') });
  await page.getByLabel('Query').press('Escape');
  await page.getByRole('button', { name: 'Clear', exact: true }).click();

  // The user zooms, then lays the map out again: the final layout does not take the view away.
  const cb = (await canvas.boundingBox())!;
  await page.mouse.move(cb.x + cb.width / 2, cb.y + cb.height / 2);
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(600);
  const zoomed = await canvas.getAttribute('data-view');
  expect(zoomed).not.toBe(view);
  await page.getByRole('button', { name: 'Re-layout' }).click();
  await expect(page.getByTestId('job-map')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await page.waitForTimeout(1000);
  expect(await canvas.getAttribute('data-view')).toBe(zoomed);

  // A project without a map: Compute map shows each phase to the end, then fits the final layout.
  await open(page, projectC);
  await page.getByRole('tab', { name: 'Map' }).click();
  // Every text the map's status line shows, recorded in the page (a string: this file has no DOM types).
  await page.evaluate(`(() => {
    const seen = (window.seen = []);
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="map-status"]')?.textContent;
      if (t && seen.at(-1) !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await page.getByRole('button', { name: 'Compute map' }).click();
  await expect(page.getByTestId('job-map')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  const seen = await page.evaluate<string[]>('window.seen');
  const phases = [...new Set(seen.map((t) => /map job: (\w+)/.exec(t)?.[1]).filter(Boolean))];
  expect(phases.at(-1)).toBe('scores');
  expect(phases).toContain('layout');
  await expect(page.getByTestId('map-status')).toHaveCount(0);
  await page.waitForTimeout(1000);
  const api = await connectApi(server.url);
  const map = (await api.call('map.get', {}))!;
  const cbox = (await canvas.boundingBox())!;
  const v = JSON.parse((await canvas.getAttribute('data-view'))!) as { cx: number; cy: number; scale: number };
  // The legend lies over the canvas's top-left corner: the fit keeps every point out from under it.
  const legend = (await page.getByTestId('legend').boundingBox())!;
  for (let i = 0; i < map.x.length; i++) {
    const sx = (map.x[i]! - v.cx) * v.scale + cbox.width / 2;
    const sy = (v.cy - map.y[i]!) * v.scale + cbox.height / 2;
    expect(sx >= 0 && sx <= cbox.width && sy >= 0 && sy <= cbox.height, `point ${i} at ${sx},${sy} in view`).toBe(true);
    const px = cbox.x + sx, py = cbox.y + sy;
    const under = px >= legend.x && px <= legend.x + legend.width && py >= legend.y && py <= legend.y + legend.height;
    expect(under, `point ${i} at ${sx},${sy} under the legend`).toBe(false);
  }
  await page.screenshot({ path: testInfo.outputPath('map-computed.png') });
});

test('UI state belongs to its project: B after A starts clean, A comes back as left', async ({ page }, testInfo) => {
  await page.goto(server.url);
  await open(page, projectA);
  await page.getByRole('tab', { name: 'Map' }).click();
  await page.getByLabel('Query').fill('label = circle');
  await page.getByLabel('Query').press('Enter');
  await expect(page.getByTestId('query-count')).toHaveText('12 match');
  await page.getByLabel('Colour by').selectOption('relabelled');
  const panel = page.getByTestId('curate-panel');
  await panel.getByLabel('Number of samples').fill('7');
  await panel.getByLabel('Slice name').fill('keep');
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  await expect(page.getByTestId('selection-count')).toHaveText('12 selected');
  await page.locator('body').click({ position: { x: 5, y: 790 } });
  await page.keyboard.press('r');
  // The queue is built by the main process (review.queue); a person moves once its first card is up.
  await expect(page.getByTestId('review-position')).toContainText('1 of 12');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('review')).toContainText('Review 3 of 12');
  await page.keyboard.press('Escape');

  await open(page, projectB);
  await expect(page.getByLabel('Query')).toHaveValue('');
  await expect(page.getByRole('tab', { name: 'Grid' })).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByLabel('Number of samples')).toHaveValue('100');
  await expect(panel.getByLabel('Slice name')).toHaveValue('');
  await page.getByRole('tab', { name: 'Map' }).click();
  await expect(page.getByLabel('Colour by')).toHaveValue('label');
  await expect(page.getByTestId('selection-count')).toHaveText('0 selected');
  await page.screenshot({ path: testInfo.outputPath('project-b-clean.png') });

  await open(page, projectA);
  await expect(page.getByLabel('Query')).toHaveValue('label = circle');
  await expect(page.getByTestId('query-count')).toHaveText('12 match');
  await expect(page.getByRole('tab', { name: 'Map' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Colour by')).toHaveValue('relabelled');
  await expect(panel.getByLabel('Number of samples')).toHaveValue('7');
  await expect(panel.getByLabel('Slice name')).toHaveValue('keep');
  await expect(page.getByTestId('selection-count')).toHaveText('12 selected');
  await page.locator('body').click({ position: { x: 5, y: 790 } });
  await page.keyboard.press('r');
  await expect(page.getByTestId('review')).toContainText('Review 3 of 12');
  await page.screenshot({ path: testInfo.outputPath('project-a-restored.png') });
});
