// Split leaks in the UI: real MNIST digits with copies (exact, shifted, noised) planted in
// "test" of digits in "train". The panel finds exactly the planted pairs, shows them side by
// side, a click puts a pair in the grid; a leak-free split (splits.make) leaves none, and its
// undo brings them back.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectSession } from '../src-main/core/project-session';
import { leakFixtureSplit, makeLeakFolder, type PlantedLeak } from '../src-main/testing/leak-fixture';
import { connectApi } from './support/api';
import { winnow } from './support/cli';
import { startWebServer, type WebServer } from './support/server';

let dir: string;
let server: WebServer;
let planted: PlantedLeak[];

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  planted = await makeLeakFolder(join(dir, 'digits'), 150, 6, 2);
  const project = join(dir, 'leaks.winnow');
  winnow('import', join(dir, 'digits'), '--project', project);
  // The splits a published dataset would come with: copies in test, their sources in train.
  const session = ProjectSession.open(project, { progress: () => {}, finished: () => {} });
  const paths = new Map(Array.from(session.catalog.columns().ids, (id) => [id, session.catalog.sample(id).relPath] as const));
  const splitOf = leakFixtureSplit(planted);
  session.labels.setField([...paths.keys()], 'split', (id) => splitOf(paths.get(id)!), 'published splits');
  await session.close();
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the panel lists the planted leaks side by side, selects a pair, and follows a leak-free split and its undo', async ({ page }, testInfo) => {
  await page.goto(server.url);
  const panel = page.getByTestId('leaks-panel');
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Check for leaks' }).click();
  await expect(panel.getByTestId('leak-pairs')).toHaveText(String(planted.length));
  await expect(panel.getByTestId('leak-split-pairs')).toContainText(`test ↔ train${planted.length}`);
  const pairs = panel.getByTestId('leak-pair');
  await expect(pairs).toHaveCount(planted.length);
  // Both thumbnails of every pair arrive.
  await expect.poll(async () => panel.locator('[data-testid="leak-pair"] img').evaluateAll((imgs) => imgs.map((i) => i as unknown as { complete: boolean; naturalWidth: number }).filter((i) => i.complete && i.naturalWidth > 0).length)).toBe(2 * planted.length);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('leaks-panel.png') });
  await panel.screenshot({ path: testInfo.outputPath('leaks-panel-only.png') });

  const titles = await pairs.evaluateAll((b) => b.map((x) => x.getAttribute('title') ?? ''));
  for (const p of planted) expect(titles.some((t) => t.includes(p.copy) && t.includes(p.source)), `${p.kind} copy ${p.copy}`).toBe(true);

  await pairs.first().click();
  const cells = page.getByTestId('thumbnail-grid').locator('.cell');
  await expect(cells).toHaveCount(2);
  await expect(page.getByTestId('query-count')).toHaveText('2 match');
  await page.screenshot({ path: testInfo.outputPath('leaks-pair-selected.png') });

  await panel.getByTestId('leaks-show-all').click();
  await expect(cells).toHaveCount(2 * planted.length);

  // A leak-free split from the panel, stored as one edit: the check finds nothing; undo restores the leaks.
  const maker = panel.getByTestId('split-maker');
  await maker.getByLabel('Split ratios').fill('train=0.8,val=0.3');
  await maker.getByRole('button', { name: 'Make split' }).click();
  await expect(maker.getByRole('alert')).toContainText('ratios must sum to 1, got 1.1');
  await maker.getByLabel('Split ratios').fill('train=0.8,val=0.2');
  await maker.getByRole('button', { name: 'Make split' }).click();
  await expect(maker.getByTestId('split-result')).toContainText('leaks left 0');
  await expect(page.getByTestId('split-counts')).toContainText('val');
  await maker.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('leaks-split-made.png') });
  const api = await connectApi(server.url);
  expect((await api.call('samples.query', { query: 'split = val' })).ids.length).toBeGreaterThan(20);
  await panel.getByRole('button', { name: 'Check again' }).click();
  await expect(panel.getByTestId('leak-pairs')).toHaveText('0');
  await expect(panel.getByTestId('leak-split-pairs')).toHaveCount(0);
  await api.call('labels.undo', {});
  await panel.getByRole('button', { name: 'Check again' }).click();
  await expect(panel.getByTestId('leak-pairs')).toHaveText(String(planted.length));
});
