// Auto-Curate from the sidebar: a representative slice with and without the appearance tiles,
// a second run under the same name becoming version 2, the grid showing a slice, and a bad
// weight refused with a message.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mappedShapes } from './support/project';
import { startWebServer, type WebServer } from './support/server';
import { showSlice } from './support/slices';

let dir: string;
let server: WebServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const { project } = await mappedShapes(dir, 12);
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('curate a representative slice from the sidebar, with and without appearance', async ({ page }, testInfo) => {
  await page.goto(server.url);
  const panel = page.getByTestId('curate-panel');
  await expect(panel.getByLabel('Curation mode')).toHaveValue('representative');
  await expect(panel.getByLabel('Appearance weight')).toHaveValue('0.5');
  await panel.getByLabel('Number of samples').fill('6');
  await panel.getByLabel('Slice name').fill('starter');
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByTestId('curate-result')).toContainText('Slice “starter” v1: 6 samples', { timeout: 60_000 });

  await panel.getByLabel('Appearance weight').fill('0');
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByTestId('curate-result')).toContainText('Slice “starter” v2: 6 samples', { timeout: 60_000 });
  const slices = panel.getByTestId('slices');
  await expect(slices.getByRole('button')).toHaveCount(2);
  await expect(slices).toContainText('v1');
  await expect(slices).toContainText('v2');

  // The slice's class mix sits beside the dataset's: 3 classes of 12, 2 picks each.
  await slices.getByRole('button').filter({ hasText: 'v1' }).click();
  const mix = panel.getByTestId('slice-mix');
  await expect(mix.locator('tbody tr')).toHaveCount(3);
  for (const row of await mix.locator('tbody tr').all()) await expect(row.locator('td').nth(2)).toHaveText('33.3%');
  // The grid narrows to the slice on show, and widens again when it is put away.
  await expect(page.locator('.grid-head')).toHaveText('6 shown · slice starter v1');
  await expect(page.getByTestId('thumbnail-grid').getByRole('gridcell')).toHaveCount(6);
  await page.screenshot({ path: testInfo.outputPath('curate-slices.png') });
  await mix.screenshot({ path: testInfo.outputPath('curate-mix.png') });
  await slices.getByRole('button').filter({ hasText: 'v1' }).click();
  await expect(page.locator('.grid-head')).toHaveText('36 shown');

  // The weight only applies to the representative mode; a negative one is refused, nothing runs.
  await panel.getByLabel('Appearance weight').fill('-1');
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('alert')).toContainText('appearance weight must be ≥ 0');
  await expect(slices.getByRole('button')).toHaveCount(2);
  await panel.getByLabel('Curation mode').selectOption('edge-cases');
  await expect(panel.getByLabel('Appearance weight')).toHaveCount(0);
});

test('edge cases from the sidebar, rare ones only: a rare pick says in its reason which class it is near', async ({ page }, testInfo) => {
  await page.goto(server.url);
  const panel = page.getByTestId('curate-panel');
  await panel.getByLabel('Curation mode').selectOption('edge-cases');
  await expect(panel.getByLabel('Which edges')).toHaveValue('both');
  await panel.getByLabel('Which edges').selectOption('rare');
  await panel.getByLabel('Number of samples').fill('9');
  await panel.getByLabel('Slice name').fill('edges');
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByTestId('curate-result')).toContainText('Slice “edges” v1: 9 samples', { timeout: 60_000 });
  await showSlice(page, 'edges');
  await expect(page.locator('.grid-head')).toHaveText('9 shown · slice edges v1');
  await panel.getByRole('button', { name: 'Review slice…' }).click();
  const card = page.getByTestId('review');
  await expect(card.getByTestId('review-position')).toHaveText('1 of 9 · 9 left');
  // Walk the queue as a person would (→, no decision) until a rare pick's card is on show.
  let named: RegExpExecArray | null = null;
  for (let t = 0; t < 9 && !named; t++) {
    if (t > 0) {
      await page.keyboard.press('ArrowRight');
      await expect(card.getByTestId('review-position')).toContainText(`${t + 1} of 9`);
    }
    const pick = card.getByTestId('evidence-pick').first();
    await expect(pick).toContainText(/\w+/);
    named = /rare for its class, near "([^"]+)"/.exec((await pick.textContent())!);
  }
  expect(named, 'a rare pick among the 9').not.toBeNull();
  await expect(card.getByTestId('evidence-pick').first()).not.toContainText('ambiguous');
  // The class it is near is another class than its own label.
  const own = (await card.getByTestId('evidence-label').textContent())!;
  expect(own).not.toContain(named![1]);
  await page.screenshot({ path: testInfo.outputPath('curate-edge-reason.png') });
});
