// Issue #19: "keep this one" on a group of more than a handful asks first (count and the strip
// of what goes), excludes on confirmation, and one Undo brings them all back. Six copies of one
// digit (lightly noisy, one shifted) are planted among real digits.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectApi } from './support/api';
import { mappedDigitsWithCopies } from './support/project';
import { startWebServer, type WebServer } from './support/server';

let dir: string;
let server: WebServer;
const SOURCE = 11;
const COPIES = 6;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const copies = Array.from({ length: COPIES }, (_, c) => ({ dx: c === 0 ? 1 : 0, dy: 0, noise: 2, name: `zz-copy-${c}.png` }));
  const project = await mappedDigitsWithCopies(dir, 120, SOURCE, copies, 19);
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('excluding more than a handful asks first and is one undo away', async ({ page }) => {
  const api = await connectApi(server.url);
  const group = Array.from((await api.call('samples.query', { query: 'dup_group >= 0' })).ids).sort((a, b) => a - b);
  expect(group.length).toBeGreaterThanOrEqual(COPIES + 1);
  const others = group.length - 1;

  await page.goto(server.url);
  await page.getByRole('tab', { name: 'Map' }).click();
  await expect(page.getByTestId('map-canvas')).toHaveAttribute('data-view', /scale/);
  await page.getByLabel('Query').fill('dup_group >= 0');
  await page.getByLabel('Query').press('Enter');
  // A tile clicked before the answer is shown is dropped from the selection when it comes.
  await expect(page.getByTestId('query-count')).toHaveText(`${group.length} match`);
  await page.getByRole('tab', { name: 'Grid' }).click();
  await page.getByTestId('thumbnail-grid').locator('.cell').first().click();
  await expect(page.getByTestId('duplicates').locator('.similar-cell')).toHaveCount(others);

  await page.getByRole('button', { name: `Keep this one, exclude ${others} others` }).click();
  const confirm = page.getByTestId('exclude-confirm');
  await expect(confirm).toContainText(`Exclude ${others} samples`);
  // Nothing is excluded until confirmed; Cancel leaves everything as it was.
  expect(Array.from((await api.call('samples.query', { query: 'excluded = 1' })).ids)).toEqual([]);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);

  await page.getByRole('button', { name: `Keep this one, exclude ${others} others` }).click();
  await page.getByTestId('exclude-confirm').getByRole('button', { name: `Exclude ${others}` }).click();
  await expect.poll(async () => (await api.call('samples.query', { query: 'excluded = 1' })).ids.length).toBe(others);
  await page.getByTestId('exclude-done').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await api.call('samples.query', { query: 'excluded = 1' })).ids.length).toBe(0);
});
