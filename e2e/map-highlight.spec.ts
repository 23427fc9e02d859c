// The map's highlight: relabel a few samples through the selection panel, colour the map by
// "relabelled", and check on the pixels that the changed points are drawn on top of the points
// sharing their position and larger than before, that the rest recede, that the legend names
// and counts both groups, and that zoomed-in thumbnails keep the highlight colour as a rim.
// Then a score colour mode: a gradient legend whose numbers are the data's own range.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { JobEvents } from '../src-main/core/jobs/job-manager';
import { ProjectSession } from '../src-main/core/project-session';
import { makeFixtureFolder } from '../src-main/testing/fixture-images';
import { parseHex } from '../src-renderer/scene/palette';
import { formatScore, INTEREST_COLOR } from '../src-renderer/state/map-colouring';
import { connectApi } from './support/api';
import { winnow } from './support/cli';
import { startWebServer, type WebServer } from './support/server';

type Rgb = [number, number, number];
const quiet: JobEvents = { progress: () => {}, finished: () => {} };
let dir: string;
let server: WebServer;
/** Square samples in id order, each at a grid point; partners share a square's position. */
let squares: number[] = [];
let partners: number[] = [];
const gridPoint = (i: number): [number, number] => [i % 5, Math.floor(i / 5)];

/**
 * Squares on a 5 x 4 grid, one unit apart; on each square sits a partner of another class with
 * a higher id (so a later row, drawn after it by the points pass); the circles further away.
 */
async function writeStackedMap(projectPath: string): Promise<void> {
  const project = ProjectSession.open(projectPath, quiet);
  const set = project.embeddings.requireActive();
  const ids = project.embeddings.load(set.id).ids;
  const label = (id: number) => project.catalog.sample(id).label!;
  squares = [...ids].filter((id) => label(id) === 'square').sort((a, b) => a - b);
  const others = [...ids].filter((id) => label(id) !== 'square').sort((a, b) => a - b);
  partners = squares.map((s) => {
    const k = others.findIndex((o) => o > s);
    if (k < 0) throw new Error('every square needs a partner with a higher id');
    return others.splice(k, 1)[0]!;
  });
  const where = new Map<number, [number, number]>();
  squares.forEach((s, i) => { where.set(s, gridPoint(i)); where.set(partners[i]!, gridPoint(i)); });
  others.forEach((o, i) => where.set(o, [8 + 0.6 * Math.cos(i * 2.399), 1.5 + 0.6 * Math.sin(i * 2.399)]));
  const positions = new Float32Array(ids.length * 2);
  ids.forEach((id, i) => { [positions[2 * i], positions[2 * i + 1]] = where.get(id)!; });
  const k = 3;
  const indices = new Int32Array(ids.length * k);
  const distances = new Float32Array(ids.length * k);
  const d = (a: number, b: number) => Math.hypot(positions[2 * a]! - positions[2 * b]!, positions[2 * a + 1]! - positions[2 * b + 1]!);
  for (let i = 0; i < ids.length; i++) {
    const order = [...ids.keys()].filter((j) => j !== i).sort((a, b) => d(i, a) - d(i, b)).slice(0, k);
    order.forEach((j, m) => { indices[i * k + m] = j; distances[i * k + m] = d(i, j); });
  }
  project.maps.save(set.id, ids, positions, { n: ids.length, k, indices, distances }, { fixture: true }, {});
  await project.close();
}

async function screenOf(page: Page, [x, y]: [number, number]): Promise<[number, number]> {
  const canvas = page.getByTestId('map-canvas');
  const box = (await canvas.boundingBox())!;
  const v = JSON.parse((await canvas.getAttribute('data-view'))!) as { cx: number; cy: number; scale: number };
  return [box.x + (x - v.cx) * v.scale + box.width / 2, box.y + (v.cy - y) * v.scale + box.height / 2];
}

async function pixels(page: Page) {
  const png = await page.screenshot();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Rgb => {
    const o = (Math.round(y) * info.width + Math.round(x)) * 3;
    return [data[o]!, data[o + 1]!, data[o + 2]!];
  };
  /** Pixels in the square of half-width r about (x, y) for which pred holds. */
  const count = (pred: (c: Rgb) => boolean, [x, y]: [number, number], r: number) => {
    let n = 0;
    for (let j = Math.round(y - r); j <= Math.round(y + r); j++) for (let i = Math.round(x - r); i <= Math.round(x + r); i++) if (pred(at(i, j))) n++;
    return n;
  };
  /** Ink in that square: how far each pixel is from the background, summed (size times contrast). */
  const mass = ([x, y]: [number, number], r: number) => {
    let m = 0;
    for (let j = Math.round(y - r); j <= Math.round(y + r); j++) for (let i = Math.round(x - r); i <= Math.round(x + r); i++) {
      const c = at(i, j);
      m += Math.max(...c.map((v, k) => Math.abs(v - BACKGROUND[k]!)));
    }
    return m;
  };
  return { at, count, mass };
}

const near = (a: Rgb, b: Rgb, tol = 40) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);
const BACKGROUND: Rgb = parseHex('#111418');
const PINK = parseHex(INTEREST_COLOR);
const isPink = (c: Rgb) => near(c, PINK, 45);
/** Drawn at all: clearly brighter than the map's background. */
const isInk = (c: Rgb) => c.some((v, i) => Math.abs(v - BACKGROUND[i]!) > 40);

async function legendRows(page: Page): Promise<string[][]> {
  return page.getByTestId('legend-entry').evaluateAll((rows) => rows.map((r) => [r.querySelector('.legend-row')!.textContent!, r.querySelector('.legend-count')!.textContent!]));
}

async function colourBy(page: Page, value: string, title: string): Promise<void> {
  await page.getByLabel('Colour by').selectOption(value);
  await expect(page.getByTestId('legend-title')).toHaveText(title);
  await page.waitForTimeout(400);
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const fixture = await makeFixtureFolder(join(dir, 'shapes'), { perClass: 20 });
  const project = join(dir, 'shapes.winnow');
  winnow('import', fixture.root, '--project', project);
  winnow('embed', '--project', project, '--device', 'cpu');
  await writeStackedMap(project);
  winnow('scores', '--project', project);
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('relabelled points are drawn on top and larger, the legend counts them; score legends show the data range', async ({ page }, testInfo) => {
  const api = await connectApi(server.url);
  await page.goto(server.url);
  await page.getByRole('tab', { name: 'Map' }).click();
  await expect(page.getByTestId('map-canvas')).toHaveAttribute('data-view', /scale/);
  await page.getByLabel('Show images').uncheck();
  await page.waitForTimeout(600);

  // Label colours, before any change: on each grid point the partner (a later row) covers the square.
  await expect(page.getByTestId('legend-title')).toHaveText('label');
  const swatches = Object.fromEntries(await page.getByTestId('legend-entry').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('.legend-row')!.textContent, (r.querySelector('.swatch') as unknown as { style: { background: string } }).style.background])));
  const rgbOf = (css: string): Rgb => (/rgb\((\d+), (\d+), (\d+)\)/.exec(css)!.slice(1).map(Number) as Rgb);
  expect(await legendRows(page)).toEqual([['circle', '20'], ['square', '20'], ['stripes', '20']]);
  const partnerLabel = (await api.call('samples.get', { id: partners[0]! })).label!;
  const changed = [0, 1, 2];
  const unchanged = [7, 12];
  let shot = await pixels(page);
  await page.screenshot({ path: testInfo.outputPath('labels.png') });
  const before: Record<number, number> = {};
  const inkBefore: Record<number, number> = {};
  for (const i of [...changed, ...unchanged]) {
    const p = await screenOf(page, gridPoint(i));
    expect(near(shot.at(...p), rgbOf(swatches[partnerLabel]!)), `grid point ${i} shows its partner's ${partnerLabel} colour on top`).toBe(true);
    before[i] = shot.count(isInk, p, 10);
    inkBefore[i] = shot.mass(p, 10);
    expect(before[i]).toBeGreaterThan(4);
  }

  // Relabel three squares: only squares are selectable while the query dims the rest.
  await page.getByLabel('Query').fill('label = square');
  await page.getByLabel('Query').press('Enter');
  await expect(page.getByTestId('query-count')).toHaveText('20 match');
  await page.getByRole('button', { name: 'box' }).click();
  // Inside the canvas at any window size: the fitted view leaves about 0.38 of a unit beside the outermost points.
  const from = await screenOf(page, [-0.3, -0.4]);
  const to = await screenOf(page, [2.4, 0.4]);
  await page.mouse.move(...from);
  await page.mouse.down();
  await page.mouse.move(...to, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected');
  await page.getByLabel('Label for selection').fill('diamond');
  await page.getByLabel('Label for selection').press('Enter');
  for (const i of changed) await expect.poll(async () => (await api.call('samples.get', { id: squares[i]! })).label).toBe('diamond');
  await page.getByLabel('Query').press('Escape');
  await expect(page.getByTestId('query-count')).toBeHidden();
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.getByTestId('selection-count')).toHaveText('0 selected');
  await page.getByRole('button', { name: 'pan' }).click();

  // Colour by "relabelled": the legend names and counts both groups.
  await colourBy(page, 'relabelled', 'relabelled');
  expect(await legendRows(page)).toEqual([['relabelled', '3'], ['unchanged', '57']]);
  shot = await pixels(page);
  await page.screenshot({ path: testInfo.outputPath('relabelled.png') });
  for (const i of changed) {
    const p = await screenOf(page, gridPoint(i));
    // On top: the pink square now covers the partner drawn after it; larger than its dot was.
    expect(isPink(shot.at(...p)), `relabelled square ${i} on top (got ${shot.at(...p).join(',')})`).toBe(true);
    const pink = shot.count(isPink, p, 10);
    expect(pink, `relabelled square ${i}: ${pink} pink pixels vs ${before[i]} before`).toBeGreaterThan(2 * before[i]!);
  }
  for (const i of unchanged) {
    const p = await screenOf(page, gridPoint(i));
    expect(shot.count(isPink, p, 10)).toBe(0);
    // Receded: still drawn, but smaller and fainter than its dot was.
    expect(shot.count(isInk, p, 10)).toBeGreaterThan(0);
    const ink = shot.mass(p, 10);
    expect(ink, `unchanged point ${i} recedes: ink ${ink} vs ${inkBefore[i]} before`).toBeLessThan(inkBefore[i]! / 2);
  }

  // Undoing the relabel updates the legend with the colours.
  await page.keyboard.press('Control+z');
  await expect.poll(() => legendRows(page)).toEqual([['relabelled', '0'], ['unchanged', '60']]);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => legendRows(page)).toEqual([['relabelled', '3'], ['unchanged', '57']]);

  // Zoomed in with images on, the relabelled thumbnails keep a pink rim.
  await page.getByLabel('Show images').check();
  const centre = await screenOf(page, gridPoint(1));
  await page.mouse.move(...centre);
  for (let i = 0; i < 4; i++) { await page.mouse.wheel(0, -240); await page.waitForTimeout(80); }
  await page.waitForTimeout(2000);
  const zoomed = await screenOf(page, gridPoint(1));
  await expect.poll(async () => (await pixels(page)).count(isPink, zoomed, 34), { timeout: 20_000 }).toBeGreaterThan(300);
  await page.screenshot({ path: testInfo.outputPath('relabelled-thumbnails.png') });
  await page.getByLabel('Show images').uncheck();
  await page.getByRole('button', { name: 'Fit' }).click();

  // A score: a gradient legend whose end ticks are the data's minimum and maximum.
  const scores = (await api.call('scores.get', {}))!;
  const noise = [...scores.noise].filter((v) => !Number.isNaN(v));
  const lo = Math.min(...noise);
  const hi = Math.max(...noise);
  await colourBy(page, 'noise', 'label noise');
  const ticks = await page.getByTestId('legend-tick').allTextContents();
  expect(ticks).toHaveLength(5);
  expect([ticks[0], ticks[4]]).toEqual([formatScore(lo, hi - lo), formatScore(hi, hi - lo)]);
  expect(ticks.map(Number)).toEqual([...ticks.map(Number)].sort((a, b) => a - b));
  await expect(page.getByTestId('legend-scored')).toHaveText(`${noise.length} scored`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: testInfo.outputPath('noise.png') });

  await colourBy(page, 'dup_group', 'duplicate group');
  const dupRows = await legendRows(page);
  expect(dupRows.at(-1)![0]).toBe('not a duplicate');
  expect(dupRows.reduce((s, [, n]) => s + Number(n), 0)).toBe(60);
  await page.screenshot({ path: testInfo.outputPath('duplicates.png') });
  api.close();
});
