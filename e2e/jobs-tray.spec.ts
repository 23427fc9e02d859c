// Jobs never hold the window (issue 13): a failed import is explained at once and the dialog
// closes; keys and buttons share one table and one enabled-state; a 2,000-image embedding runs
// in the jobs bar while the user queries and relabels, and ends there.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixtureFolder } from '../src-main/testing/fixture-images';
import { COMMAND_KEYS, helpRows } from '../src-renderer/components/shortcut-table';
import { connectApi } from './support/api';
import { createProjectInUi } from './support/project';
import { winnow } from './support/cli';
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

test('a failed import is explained within 2 s in the dialog, the jobs bar and a toast; Escape closes', async ({ page }, testInfo) => {
  await page.goto(server.url);
  await createProjectInUi(page, join(dir, 'empty.winnow'));

  for (const [what, path] of [['a missing folder', join(dir, 'no-such-folder')], ['a file', join(dir, 'a-file.txt')]] as const) {
    if (what === 'a file') writeFileSync(path, 'not a folder\n');
    await page.keyboard.press('i');
    const dialog = page.getByRole('dialog', { name: 'Import images' });
    await dialog.getByLabel('Folder path').fill(path);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByTestId('import-error'), what).toContainText(path, { timeout: 2000 });
    await expect(page.getByTestId('job-import')).toHaveAttribute('data-state', 'failed', { timeout: 2000 });
    await expect(page.getByTestId('jobs-tray')).toContainText('failed');
    await expect(page.locator('.toast')).toContainText('Import failed');
    await page.screenshot({ path: testInfo.outputPath(`import-failed-${what.replace(/ /g, '-')}.png`) });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
  // ✕ closes too.
  await page.keyboard.press('i');
  await page.getByRole('dialog', { name: 'Import images' }).getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('buttons, tooltips, help and keys come from one table and share one enabled-state', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Project…' }).click();
  await page.getByLabel('Project file path').fill(join(dir, 'empty.winnow'));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('total-count')).toHaveText('0');

  // Every command button's tooltip names the key of the table.
  for (const button of await page.locator('[data-command]').all()) {
    const id = (await button.getAttribute('data-command')) as keyof typeof COMMAND_KEYS;
    expect(await button.getAttribute('title'), id).toContain(`(${COMMAND_KEYS[id].keyLabel})`);
  }
  // An empty project: Embed and Export are off, their keys open nothing and say what to do first.
  for (const id of ['embed', 'export'] as const) {
    const button = page.locator(`[data-command="${id}"]`);
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', /Import images first/);
    await page.locator('body').click({ position: { x: 600, y: 300 } });
    await page.keyboard.press(COMMAND_KEYS[id].key);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.locator('.toast')).toContainText('Import images first');
  }
  // A step whose input is missing says what to do first.
  await page.getByRole('tab', { name: 'Map' }).click();
  await expect(page.getByRole('button', { name: 'Compute map' })).toBeDisabled();
  await expect(page.getByTestId('map-blocked')).toHaveText('Compute embeddings first (E)');
  await expect(page.getByTestId('curate-panel').or(page.locator('.curate'))).toContainText('Compute the map first');
  await page.getByRole('tab', { name: 'Grid' }).click();
  // The contract refuses to embed nothing, whoever asks.
  const api = await connectApi(server.url);
  await expect(api.call('embed.start', {})).rejects.toThrow(/Import images first/);

  // The help lists the table, row for row; P opens the project, V is the pan tool.
  await page.keyboard.press('?');
  const rows = await page.getByTestId('shortcuts').locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]));
  expect(rows).toEqual(helpRows());
  await page.keyboard.press('Escape');
  await page.keyboard.press('p');
  await expect(page.getByRole('dialog', { name: 'Project' })).toBeVisible();
  await page.keyboard.press('Escape');
  expect(COMMAND_KEYS.toolPan.keyLabel).toBe('V');
});

test('an embedding of 2,000 images runs in the jobs bar while the user queries and relabels', async ({ page }, testInfo) => {
  test.setTimeout(400_000);
  const fixture = await makeFixtureFolder(join(dir, 'many'), { perClass: 667 });
  const project = join(dir, 'many.winnow');
  winnow('import', fixture.root, '--project', project);
  const api = await connectApi(server.url);
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Project…' }).click();
  await page.getByLabel('Project file path').fill(project);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('total-count')).toHaveText('2,001');

  await page.keyboard.press('e');
  const dialog = page.getByRole('dialog', { name: 'Compute embeddings' });
  await dialog.getByLabel('Device').selectOption('cpu');
  await dialog.getByRole('button', { name: 'Compute embeddings' }).click();
  const chip = page.getByTestId('job-embed');
  await expect(chip).toHaveAttribute('data-state', 'running');
  // The dialog closes at once; the job goes on in the bar.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(chip).toContainText('Embedding');
  await expect(chip.getByRole('button', { name: 'Cancel Embedding' })).toBeVisible();

  // The window stays usable: query, open a sample, relabel it — all while embedding.
  await page.getByLabel('Query').fill('label = stripes');
  await page.getByLabel('Query').press('Enter');
  await expect(page.getByTestId('query-count')).toHaveText('667 match');
  const cell = page.getByTestId('thumbnail-grid').locator('.cell').first();
  const id = Number(await cell.getAttribute('data-sample-id'));
  await cell.click();
  await page.getByLabel('New label').fill('zebra');
  await page.getByLabel('New label').press('Enter');
  await expect(page.getByTestId('detail-label')).toHaveText('zebra');
  expect((await api.call('samples.get', { id })).label).toBe('zebra');
  await expect(chip).toHaveAttribute('data-state', 'running');
  await expect(chip).toContainText(/images\/s/);
  await page.screenshot({ path: testInfo.outputPath('embed-running-while-relabelling.png') });

  // Reopening the dialog shows the running job; closing it again leaves it running.
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 600, y: 300 } });
  await page.keyboard.press('e');
  await expect(dialog.getByRole('progressbar')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // A reload reconnects to the same server: the project is still open, the running job is back
  // in the bar with its progress and cancel, and it still finishes there.
  await page.reload();
  await expect(page.getByTestId('total-count')).toHaveText('2,001');
  await expect(chip).toHaveAttribute('data-state', 'running');
  await expect(chip).toContainText('Embedding');
  await expect(chip.getByRole('button', { name: 'Cancel Embedding' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('embed-running-after-reload.png') });

  await expect(chip).toHaveAttribute('data-state', 'done', { timeout: 300_000 });
  await expect(chip).toContainText('done');
  await page.screenshot({ path: testInfo.outputPath('embed-done-in-tray.png') });
  const status = await api.call('embed.status', {});
  expect(status.sets[0]!.count).toBe(2001);
  // What needed the embedding enables itself: the map can now be computed.
  await page.getByRole('tab', { name: 'Map' }).click();
  await expect(page.getByRole('button', { name: 'Compute map' })).toBeEnabled();
});
