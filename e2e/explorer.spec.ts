// Explorer on a fixture project whose points sit at known positions: colours on the map,
// query dimming, lasso selection, keyboard relabelling with undo, thumbnails when zoomed in.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { JobEvents } from '../src-main/core/jobs/job-manager';
import { ProjectSession } from '../src-main/core/project-session';
import { makeFixtureFolder } from '../src-main/testing/fixture-images';
import { connectApi } from './support/api';
import { winnow } from './support/cli';
import { startWebServer, type WebServer } from './support/server';

const CENTRES: Record<string, [number, number]> = { circle: [0, 0], square: [10, 0], stripes: [5, 8] };
const quiet: JobEvents = { progress: () => {}, finished: () => {} };
let dir: string;
let server: WebServer;

/** Writes a map whose points sit in a tight ring around their class centre. */
function writeKnownMap(projectPath: string): void {
  const project = ProjectSession.open(projectPath, quiet);
  const set = project.embeddings.requireActive();
  const ids = project.embeddings.load(set.id).ids;
  const positions = new Float32Array(ids.length * 2);
  ids.forEach((id, i) => {
    const label = project.catalog.sample(id).label!;
    const [cx, cy] = CENTRES[label]!;
    const a = (i * 2.399) % (2 * Math.PI);
    const r = 0.15 + 0.45 * ((i * 7) % 10) / 10;
    positions[2 * i] = cx + r * Math.cos(a);
    positions[2 * i + 1] = cy + r * Math.sin(a);
  });
  const k = 3;
  const indices = new Int32Array(ids.length * k);
  const distances = new Float32Array(ids.length * k);
  for (let i = 0; i < ids.length; i++) {
    const order = [...ids.keys()].filter((j) => j !== i).sort((a, b) => dist(positions, i, a) - dist(positions, i, b)).slice(0, k);
    order.forEach((j, m) => { indices[i * k + m] = j; distances[i * k + m] = dist(positions, i, j); });
  }
  project.maps.save(set.id, ids, positions, { n: ids.length, k, indices, distances }, { fixture: true }, {});
  void project.close();
}
const dist = (p: Float32Array, a: number, b: number) => Math.hypot(p[2 * a]! - p[2 * b]!, p[2 * a + 1]! - p[2 * b + 1]!);

async function screenOf(page: Page, x: number, y: number): Promise<[number, number]> {
  const canvas = page.getByTestId('map-canvas');
  const box = (await canvas.boundingBox())!;
  const v = JSON.parse((await canvas.getAttribute('data-view'))!) as { cx: number; cy: number; scale: number };
  return [box.x + (x - v.cx) * v.scale + box.width / 2, box.y + (v.cy - y) * v.scale + box.height / 2];
}

async function pixels(page: Page): Promise<{ at(x: number, y: number): [number, number, number]; count(pred: (r: number, g: number, b: number) => boolean, x0: number, y0: number, x1: number, y1: number): number }> {
  const png = await page.screenshot();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): [number, number, number] => {
    const o = (Math.round(y) * info.width + Math.round(x)) * 3;
    return [data[o]!, data[o + 1]!, data[o + 2]!];
  };
  return {
    at,
    count(pred, x0, y0, x1, y1) {
      let n = 0;
      for (let y = Math.max(0, Math.round(y0)); y < Math.min(info.height, y1); y++) for (let x = Math.max(0, Math.round(x0)); x < Math.min(info.width, x1); x++) if (pred(...at(x, y))) n++;
      return n;
    },
  };
}

const hex = (h: string): [number, number, number] => { const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(h)!; return [Number(m[1]), Number(m[2]), Number(m[3])]; };
const near = (a: number[], b: number[], tol = 40) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const fixture = await makeFixtureFolder(join(dir, 'shapes'), { perClass: 20 });
  const project = join(dir, 'shapes.winnow');
  winnow('import', fixture.root, '--project', project);
  winnow('embed', '--project', project, '--device', 'cpu');
  writeKnownMap(project);
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('map colours, query dimming, lasso, keyboard relabel with undo, thumbnails', async ({ page }, testInfo) => {
  const api = await connectApi(server.url);
  // The page's CSP is strict (no inline style or script, connections to its own origin only):
  // nothing the app does may trip it.
  const cspViolations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  await page.goto(server.url);
  await page.getByRole('tab', { name: 'Map' }).click();
  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('data-view', /scale/);
  // Points only first: with 60 samples every point would get its thumbnail.
  await page.getByLabel('Show images').uncheck();
  await page.waitForTimeout(800);

  // Colours: each cluster centre shows its label's legend colour.
  const legend = Object.fromEntries(await page.getByTestId('legend').locator('.legend-row').evaluateAll((rows) =>
    rows.map((r) => [r.textContent, (r.querySelector('.swatch') as unknown as { style: { background: string } }).style.background])));
  let shot = await pixels(page);
  await page.screenshot({ path: testInfo.outputPath('map.png') });
  for (const [label, [x, y]] of Object.entries(CENTRES)) {
    const [sx, sy] = await screenOf(page, x, y);
    const want = hex(legend[label]);
    const hits = shot.count((r, g, b) => near([r, g, b], want), sx - 30, sy - 30, sx + 30, sy + 30);
    expect(hits, `${label} cluster in ${legend[label]}`).toBeGreaterThan(40);
  }

  // Hover: a tooltip with the sample's label and thumbnail.
  {
    const [hx, hy] = await screenOf(page, ...CENTRES.square!);
    const shotHover = await pixels(page);
    // Find a pixel of the square cluster's colour near the centre and hover it.
    let target: [number, number] | null = null;
    for (let r = 0; r < 40 && !target; r++) for (let dx = -r; dx <= r && !target; dx++) for (const dy of [-r, r]) if (!target && near(shotHover.at(hx + dx, hy + dy), hex(legend.square), 30)) target = [hx + dx, hy + dy];
    expect(target).not.toBeNull();
    await page.mouse.move(...target!);
    const tip = page.getByTestId('map-tip');
    await expect(tip).toBeVisible();
    await expect(tip).toContainText('square');
    await expect(tip.locator('img')).toHaveAttribute('src', /^blob:/);
    await page.screenshot({ path: testInfo.outputPath('hover.png') });
  }

  // Query: non-matching points dim, matching ones keep their colour.
  await page.getByLabel('Query').fill('label = square');
  await page.getByLabel('Query').press('Enter');
  await expect(page.getByTestId('query-count')).toHaveText('20 match');
  await page.waitForTimeout(500);
  shot = await pixels(page);
  await page.screenshot({ path: testInfo.outputPath('query.png') });
  const [qx, qy] = await screenOf(page, ...CENTRES.square!);
  const [cx, cy] = await screenOf(page, ...CENTRES.circle!);
  expect(shot.count((r, g, b) => near([r, g, b], hex(legend.square)), qx - 30, qy - 30, qx + 30, qy + 30)).toBeGreaterThan(40);
  expect(shot.count((r, g, b) => near([r, g, b], hex(legend.circle)), cx - 30, cy - 30, cx + 30, cy + 30)).toBeLessThan(5);
  await page.getByLabel('Query').fill('label = ');
  await page.getByLabel('Query').press('Enter');
  await expect(page.getByTestId('query-error')).toContainText('expected a value');
  await page.getByLabel('Query').press('Escape');

  // Lasso exactly around the stripes cluster.
  await page.getByRole('button', { name: 'lasso' }).click();
  const ring: Array<[number, number]> = [];
  for (let i = 0; i < 24; i++) ring.push(await screenOf(page, 5 + 1.2 * Math.cos((i / 24) * 2 * Math.PI), 8 + 1.2 * Math.sin((i / 24) * 2 * Math.PI)));
  await page.mouse.move(...ring[0]!);
  await page.mouse.down();
  for (const p of ring.slice(1)) await page.mouse.move(...p, { steps: 2 });
  await page.mouse.up();
  await expect(page.getByTestId('selection-count')).toHaveText('20 selected');
  await page.screenshot({ path: testInfo.outputPath('lasso.png') });
  const stripes = (await api.call('samples.query', { query: 'label = stripes' })).ids;

  // Keyboard review: type a new label, Enter; Ctrl+Z undoes it.
  await page.keyboard.press('r');
  // The card, not the "Loading the queue…" box that comes first (its keys go nowhere).
  await expect(page.getByTestId('review')).toContainText('Review 1 of 20');
  await page.keyboard.type('zigzag');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await api.call('samples.get', { id: stripes[0]! })).label).toBe('zigzag');
  await expect(page.getByTestId('review')).toContainText('Review 2 of 20');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await api.call('samples.get', { id: stripes[0]! })).label).toBe('stripes');
  // A review decision also marks the sample reviewed (its own history row); the label's rows are one edit and its undo.
  expect((await api.call('labels.history', { id: stripes[0]! })).filter((h) => h.field === 'label').map((h) => h.action)).toEqual(['edit', 'undo']);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('review')).toBeHidden();

  // Zoomed in on the circles, thumbnails (yellow shapes) are drawn on the map.
  await page.getByRole('button', { name: 'pan' }).click();
  await page.getByLabel('Show images').check();
  const yellow = (r: number, g: number, b: number) => r > 190 && g > 160 && b < 90;
  const [ox, oy] = await screenOf(page, ...CENTRES.circle!);
  const before = (await pixels(page)).count(yellow, ox - 150, oy - 150, ox + 150, oy + 150);
  await page.mouse.move(ox, oy);
  for (let i = 0; i < 6; i++) { await page.mouse.wheel(0, -240); await page.waitForTimeout(80); }
  await page.waitForTimeout(2500);
  const [zx, zy] = await screenOf(page, ...CENTRES.circle!);
  await expect.poll(async () => (await pixels(page)).count(yellow, zx - 150, zy - 150, zx + 150, zy + 150), { timeout: 20_000 }).toBeGreaterThan(before + 500);
  await page.screenshot({ path: testInfo.outputPath('thumbnails.png') });
  expect(cspViolations).toEqual([]);
  api.close();
});
