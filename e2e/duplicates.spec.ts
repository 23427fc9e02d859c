// Near duplicates in the UI: a shifted, noisy copy of one digit is planted among real digits;
// the query finds exactly that pair, the detail panel shows the other member, and "keep this
// one" excludes the copy in the catalog.
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

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const project = await mappedDigitsWithCopies(dir, 200, SOURCE, [{ dx: -1, dy: 2, noise: 8, name: 'zz-copy.png' }], 9);
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the planted copy is found, shown beside its source, and excluded with one click', async ({ page }, testInfo) => {
  const api = await connectApi(server.url);
  const pair = Array.from((await api.call('samples.query', { query: 'dup_group >= 0' })).ids);
  expect(pair).toHaveLength(2);
  const [source, copy] = pair.sort((a, b) => a - b) as [number, number];
  expect((await api.call('samples.get', { id: copy })).relPath).toMatch(/zz-copy\.png$/);

  await page.goto(server.url);
  await page.getByRole('tab', { name: 'Map' }).click();
  await expect(page.getByTestId('map-canvas')).toHaveAttribute('data-view', /scale/);
  await page.getByLabel('Query').fill('dup_group >= 0');
  await page.getByLabel('Query').press('Enter');
  await expect(page.getByTestId('query-count')).toHaveText('2 match');
  await page.getByRole('tab', { name: 'Grid' }).click();
  const cells = page.getByTestId('thumbnail-grid').locator('.cell');
  await expect(cells).toHaveCount(2);
  await cells.first().click();
  await expect(page.getByTestId('detail-panel')).toContainText(`Sample ${source}`);
  const strip = page.getByTestId('duplicates');
  await expect(strip.locator('.similar-cell')).toHaveCount(1);
  await expect(strip.locator('img')).toHaveAttribute('alt', `duplicate #${copy}`);
  await page.screenshot({ path: testInfo.outputPath('duplicates.png') });

  await page.getByRole('button', { name: 'Keep this one, exclude 1 other' }).click();
  await expect.poll(async () => Array.from((await api.call('samples.query', { query: 'excluded = 1' })).ids)).toEqual([copy]);
  expect(Array.from((await api.call('samples.query', { query: 'excluded = 0 and dup_group >= 0' })).ids)).toEqual([source]);
});
