// A reference folder from the sidebar: a validation set picked toward a folder of squares
// (shown as the active slice), its representativeness report, and a folder with no images
// refused with its reason.
import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSamplePng } from '../src-main/testing/fixture-images';
import { mappedShapes } from './support/project';
import { startWebServer, type WebServer } from './support/server';

let dir: string;
let server: WebServer;
let reference: string;
let empty: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  reference = join(dir, 'deployment');
  mkdirSync(reference);
  await Promise.all(Array.from({ length: 8 }, (_, i) => writeSamplePng(join(reference, `shot_${i}.png`), 'square', 300 + i)));
  empty = join(dir, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'readme.txt'), 'no images');
  const { project } = await mappedShapes(dir, 12);
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a validation set toward a reference folder, and its report', async ({ page }, testInfo) => {
  await page.goto(server.url);
  const box = page.getByTestId('slice-report');
  await box.getByLabel('Reference folder').fill(empty);
  await box.getByLabel('Validation set size').fill('6');
  await box.getByRole('button', { name: 'Validation set' }).click();
  await expect(box.getByTestId('slice-report-error')).toContainText('no image files found in the reference folder', { timeout: 60_000 });

  await box.getByLabel('Reference folder').fill(reference);
  await box.getByRole('button', { name: 'Validation set' }).click();
  await expect(box).toContainText('Slice “toward deployment” v1', { timeout: 60_000 });
  // The new slice is the one shown: the grid narrows to its 6 samples.
  await expect(page.locator('.grid-head')).toHaveText('6 shown · slice toward deployment v1', { timeout: 10_000 });

  await box.getByRole('button', { name: 'Report' }).click();
  const result = box.getByTestId('slice-report-result');
  await expect(result).toContainText('6 of 36 samples', { timeout: 60_000 });
  await expect(result).toContainText('MMD to the reference');
  const square = result.locator('tbody tr').filter({ hasText: 'square' });
  await expect(square.locator('td').nth(1)).toHaveText('100.0%');
  await expect(square.locator('td').nth(3)).toHaveText('100.0%');
  await box.screenshot({ path: testInfo.outputPath('slice-report.png') });

  // Both distributions on the map: where the reference's images land (their nearest samples:
  // squares, since the reference is squares) beside the validation set, whose members are squares too.
  await result.getByRole('button', { name: 'Show both on the map' }).click();
  await expect(page.getByRole('tab', { name: 'Map' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('legend-title')).toHaveText('reference deployment');
  const legend = await page.getByTestId('legend-entry').evaluateAll((rows) => rows.map((r) => [r.querySelector('.legend-row')!.textContent!, Number(r.querySelector('.legend-count')!.textContent!.replace(/[^0-9]/g, ''))] as [string, number]));
  const count = (name: string) => legend.find(([n]) => n === name)?.[1] ?? 0;
  const near = count('in toward deployment and near deployment') + count('near deployment');
  expect(near).toBeGreaterThan(0);
  expect(near).toBeLessThanOrEqual(8);
  expect(count('in toward deployment and near deployment') + count('in toward deployment')).toBe(6);
  expect(legend.reduce((a, [, c]) => a + c, 0)).toBe(36);
  await page.screenshot({ path: testInfo.outputPath('reference-on-map.png') });
});
