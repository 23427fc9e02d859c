// Exporting an Auto-Curate slice from the UI: folder tree, manifests, and bytes equal to the sources.
import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { winnow } from './support/cli';
import { mappedShapes } from './support/project';
import { startWebServer, type WebServer } from './support/server';

let dir: string;
let data: string;
let server: WebServer;
let picks: Array<{ id: number; path: string; label: string }>;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const shapes = await mappedShapes(dir, 15);
  data = shapes.data;
  const project = shapes.project;
  picks = (winnow('curate', '--project', project, '--mode', 'representative', '--n', '9', '--name', 'train-set') as { picks: typeof picks }).picks;
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('export a slice to an image folder with manifests', async ({ page }, testInfo) => {
  const out = join(dir, 'export');
  await page.goto(server.url);
  await expect(page.getByTestId('slices')).toContainText('train-set');
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByRole('radio', { name: 'Slice' }).check();
  await page.getByLabel('Slice to export').selectOption('train-set@1');
  await page.getByLabel('Destination folder').fill(out);
  await page.getByLabel('Train split ratio').fill('0.67');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-summary')).toContainText('Exported 9 files', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('export-done.png') });

  expect(readdirSync(out).sort()).toEqual(['manifest.csv', 'manifest.json', 'train', 'val', 'winnow-export.json']);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { rows?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
  const rows = (Array.isArray(manifest) ? manifest : manifest.rows)!;
  expect(rows).toHaveLength(9);
  for (const p of picks) {
    const row = rows.find((r) => r.sample_id === p.id || r.sampleId === p.id)!;
    expect(row, `manifest row for #${p.id}`).toBeTruthy();
    const exported = String(row.path ?? row.exported_path);
    expect(exported).toMatch(new RegExp(`^(train|val)/${p.label}/`));
    expect(String(row.pick_reason ?? row.reason)).toMatch(/typical/);
    expect(readFileSync(join(out, exported)).equals(readFileSync(join(data, p.path)))).toBe(true);
  }
  const csv = readFileSync(join(out, 'manifest.csv'), 'utf8').trim().split('\n');
  expect(csv).toHaveLength(10);
  expect(csv[0]).toContain('label');
  const info = JSON.parse(readFileSync(join(out, 'winnow-export.json'), 'utf8'));
  expect(JSON.stringify(info)).toContain('train-set');
  expect(readdirSync(dir).some((f) => f.includes('winnow-partial'))).toBe(false);
  expect(existsSync(join(data, 'manifest.csv'))).toBe(false);
});
