// The review loop on real handwritten digits with planted wrong labels: the "likely mislabelled"
// slice opens a queue in noise order whose card shows the evidence (suggested label, scores,
// reason, the neighbours that voted); each decision is one key (counted), undo/redo name what
// they did, the queue continues where it stopped, the summary and the bulk accept work from the
// slice panel, and the grid shows, sorts and filters by the scores.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, renameSync, rmSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAG_EXCLUDED, FLAG_REVIEWED } from '../src-shared/model/sample';
import { makeMnistFolder } from '../src-main/testing/fixture-images';
import { connectApi } from './support/api';
import { winnow } from './support/cli';
import { startWebServer, type WebServer } from './support/server';
import { showSlice } from './support/slices';

let dir: string;
let server: WebServer;
/** Digit files moved into another digit's folder: relative path as imported → true digit. */
const planted = new Map<string, string>();

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winnow-e2e-'));
  const images = join(dir, 'digits');
  await makeMnistFolder(images, 400);
  // Plant 14 wrong labels: the first two files of each of seven digits go to the next digit's folder.
  for (let d = 0; d < 7; d++) {
    const files = readdirSync(join(images, String(d))).sort().slice(0, 2);
    const to = String(d + 1);
    mkdirSync(join(images, to), { recursive: true });
    for (const f of files) { renameSync(join(images, String(d), f), join(images, to, f)); planted.set(`${to}/${f}`, String(d)); }
  }
  const project = join(dir, 'digits.winnow');
  winnow('import', images, '--project', project);
  winnow('embed', '--project', project, '--device', 'cpu');
  winnow('map', '--project', project);
  winnow('curate', '--project', project, '--mode', 'mislabeled', '--n', '20', '--name', 'mislabelled');
  server = await startWebServer(['--project', project]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const blur = (page: Page) => page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');

/** Presses keys and counts them, so the test can say how many each decision took. */
function keyCounter(page: Page) {
  let n = 0;
  return {
    press: async (key: string) => { n++; await page.keyboard.press(key); },
    take: () => { const v = n; n = 0; return v; },
  };
}

test('review a mislabelled slice: evidence, one key per decision, undo/redo, resume, summary, bulk accept, grid scores', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const api = await connectApi(server.url);
  const flags = async (id: number) => { const c = await api.call('samples.columns', {}); return c.flags[c.ids.indexOf(id)]!; };
  await page.goto(server.url);
  await expect(page.getByTestId('total-count')).toHaveText('400');

  // Open the slice; its queue starts in noise order at the first card.
  const panel = page.getByTestId('curate-panel');
  await showSlice(page, 'mislabelled');
  await panel.getByRole('button', { name: 'Review slice…' }).click();
  const card = page.getByTestId('review');
  await expect(card.getByLabel('Review order')).toHaveValue('noise');
  await expect(card.getByTestId('review-position')).toHaveText('1 of 20 · 20 left');

  // The card's evidence: label vs suggestion, the scores as numbers, the reason, the voters with labels.
  const label = card.getByTestId('evidence-label');
  const suggested = card.getByTestId('evidence-suggested');
  await expect(suggested).not.toHaveText('—');
  const first = Number(await card.getAttribute('data-sample-id'));
  const s1 = (await suggested.textContent())!;
  expect(await label.textContent()).not.toBe(s1);
  expect(Number(await card.getByTestId('evidence-noise').textContent())).toBeGreaterThan(0.5);
  expect(Number(await card.getByTestId('evidence-sparseness').textContent())).toBeGreaterThanOrEqual(0);
  await expect(card.getByTestId('evidence-reason')).toContainText(/\w+/);
  await expect(card.getByTestId('evidence-pick').first()).toContainText(/\w+/);
  const votes = card.getByTestId('neighbours').locator('.vote');
  await expect(votes).toHaveCount(10);
  const voteLabels = await votes.evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
  expect(voteLabels.filter((l) => l === s1).length).toBeGreaterThanOrEqual(6);
  await expect(votes.first().locator('img')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('review-card.png') });
  // The planted sample's true digit is what the engine suggests.
  const firstPath = (await api.call('samples.get', { id: first })).relPath;
  if (planted.has(firstPath)) expect(s1).toBe(planted.get(firstPath));

  const keys = keyCounter(page);
  const perDecision: Record<string, number> = {};
  const nextCard = async (from: number) => { await expect(card).not.toHaveAttribute('data-sample-id', String(from)); return Number(await card.getAttribute('data-sample-id')); };

  // 1. Accept the suggestion: one key.
  await keys.press('a');
  perDecision.accept = keys.take();
  const second = await nextCard(first);
  await expect.poll(async () => (await api.call('samples.get', { id: first })).label).toBe(s1);
  await expect(card.getByTestId('review-position')).toContainText('2 of 20');

  // 2. Type a label: a digit is the whole decision (MNIST labels are digits).
  await expect(suggested).not.toHaveText('—');
  const current2 = (await label.textContent())!;
  const typed = current2 === '7' ? '4' : '7';
  await keys.press(typed);
  perDecision.typed = keys.take();
  const third = await nextCard(second);
  await expect.poll(async () => (await api.call('samples.get', { id: second })).label).toBe(typed);

  // 3. Keep: the label stays, the sample is marked reviewed.
  const label3 = (await label.textContent())!;
  await keys.press('k');
  perDecision.keep = keys.take();
  const fourth = await nextCard(third);
  await expect.poll(() => flags(third).then((f) => f & FLAG_REVIEWED)).toBe(FLAG_REVIEWED);
  expect((await api.call('samples.get', { id: third })).label).toBe(label3);

  // 4. Exclude.
  await keys.press('x');
  perDecision.exclude = keys.take();
  await nextCard(fourth);
  await expect.poll(() => flags(fourth).then((f) => f & FLAG_EXCLUDED)).toBe(FLAG_EXCLUDED);
  await expect(card.getByTestId('review-position')).toHaveText('5 of 20 · 16 left');
  testInfo.annotations.push({ type: 'keystrokes per decision', description: JSON.stringify(perDecision) });
  console.log(`keystrokes per decision: ${JSON.stringify(perDecision)}`);
  expect(perDecision.accept).toBeLessThanOrEqual(1);
  expect(perDecision.typed).toBeLessThanOrEqual(2);
  expect(perDecision.keep).toBe(1);
  expect(perDecision.exclude).toBe(1);

  // Undo names what it undid and takes the card back to that sample; redo names it and moves on.
  const notice = page.getByTestId('notice');
  await page.keyboard.press('Control+z');
  await expect(notice).toContainText(/^Undone: .*exclu/i);
  await expect(card).toHaveAttribute('data-sample-id', String(fourth));
  await expect.poll(() => flags(fourth).then((f) => f & FLAG_EXCLUDED)).toBe(0);
  await page.screenshot({ path: testInfo.outputPath('review-undo.png') });
  await page.keyboard.press('Control+Shift+z');
  await expect(notice).toContainText(/^Redone: .*exclu/i);
  await expect.poll(() => flags(fourth).then((f) => f & FLAG_EXCLUDED)).toBe(FLAG_EXCLUDED);
  await expect(card.getByTestId('review-position')).toContainText('5 of 20');

  // The summary counts the decisions.
  const summary = card.getByTestId('review-summary-text');
  await expect(summary).toContainText('Reviewed 4 of 20');
  await expect(summary).toContainText('accepted 1');
  await expect(summary).toContainText('kept 1');
  await expect(summary).toContainText('excluded 1');

  // Close and reopen: the queue continues where it stopped.
  const fifth = Number(await card.getAttribute('data-sample-id'));
  await page.keyboard.press('Escape');
  await expect(card).toHaveCount(0);
  await page.reload();
  await showSlice(page, 'mislabelled');
  await panel.getByRole('button', { name: 'Review slice…' }).click();
  await expect(card.getByTestId('review-position')).toHaveText('5 of 20 · 16 left');
  await expect(card).toHaveAttribute('data-sample-id', String(fifth));

  // Another order: the same samples, from the first not yet reviewed.
  await card.getByLabel('Review order').selectOption('id');
  await expect(card.getByTestId('review-position')).toContainText('of 20 · 16 left');
  await page.keyboard.press('Escape');

  // The slice panel shows the same summary, the export command, and the bulk accept with its count.
  const sliceSummary = panel.getByTestId('review-summary');
  await expect(sliceSummary.getByTestId('review-summary-text')).toContainText('Reviewed 4 of 20');
  await sliceSummary.getByRole('button', { name: 'Export labels CSV…' }).click();
  const command = (await sliceSummary.getByTestId('export-labels-command').locator('code').textContent())!;
  expect(command).toMatch(/^winnow export-labels --project \S+ --out labels\.csv$/);
  // The command works as shown, with the app still holding the project: the accepted and typed labels are in the CSV.
  const csvPath = join(dir, 'labels.csv');
  winnow(...command.split(' ').slice(1).map((a) => (a === 'labels.csv' ? csvPath : a)));
  const csv = readFileSync(csvPath, 'utf8');
  expect(csv).toContain(firstPath);
  expect(csv).toContain((await api.call('samples.get', { id: second })).relPath);
  await sliceSummary.getByLabel('Noise threshold').fill('0.5');
  const preview = sliceSummary.getByTestId('bulk-accept-preview');
  await expect(preview).toHaveText(/^Accept \d+…$/);
  const count = Number(/\d+/.exec((await preview.textContent())!)![0]);
  expect(count).toBeGreaterThan(0);
  expect((await api.call('review.acceptAll', { slice: 'mislabelled@1', minNoise: 0.5, dryRun: true })).count).toBe(count);
  await preview.click();
  await expect(sliceSummary.getByTestId('bulk-accept-confirm')).toContainText(`Change ${count} label`);
  await page.screenshot({ path: testInfo.outputPath('review-bulk-confirm.png') });
  const before = await api.call('samples.query', { query: 'suggested != label' });
  await sliceSummary.getByRole('button', { name: `Accept ${count}`, exact: true }).click();
  await expect(notice).toContainText(`Accepted ${count} suggestion`);
  await expect.poll(async () => (await api.call('review.acceptAll', { slice: 'mislabelled@1', minNoise: 0.5, dryRun: true })).count).toBe(0);
  // One undo takes all of them back.
  await blur(page);
  await page.keyboard.press('Control+z');
  await expect(notice).toContainText('Undone:');
  await expect.poll(async () => (await api.call('samples.query', { query: 'suggested != label' })).ids.length).toBe(before.ids.length);

  // The slice in the grid: each member's pick on its tile, in pick order.
  await showSlice(page, 'mislabelled');
  await page.getByLabel('Tile field').selectOption('pick');
  await page.getByLabel('Sort grid by').selectOption('pick');
  const picks = page.getByTestId('thumbnail-grid').locator('.cell .tile-score');
  await expect(picks.first()).toHaveText('pick #1');
  await expect.poll(async () => (await picks.allTextContents()).slice(0, 5)).toEqual(['pick #1', 'pick #2', 'pick #3', 'pick #4', 'pick #5']);

  // The grid: noise on the tiles, sorted by it, then filtered to the disagreements.
  await page.getByLabel('Tile field').selectOption('noise');
  await page.getByLabel('Sort grid by').selectOption('noise');
  const panelSlice = panel.getByTestId('slices').getByRole('button').filter({ hasText: 'mislabelled' });
  if ((await panelSlice.getAttribute('aria-pressed')) === 'true') await panelSlice.click();
  const cells = page.getByTestId('thumbnail-grid').locator('.cell');
  const scoresShown = async () => (await cells.locator('.tile-score').evaluateAll((els) => els.slice(0, 12).map((e) => Number(e.getAttribute('data-score')))));
  await expect.poll(async () => (await scoresShown()).length).toBeGreaterThan(5);
  const shown = await scoresShown();
  for (let i = 1; i < shown.length; i++) expect(shown[i]!).toBeLessThanOrEqual(shown[i - 1]!);
  expect(shown[0]!).toBeGreaterThan(0.5);
  await page.screenshot({ path: testInfo.outputPath('grid-noise.png') });

  const query = page.getByLabel('Query');
  await query.fill('suggested != label');
  await query.press('Enter');
  const want = (await api.call('samples.query', { query: 'suggested != label' })).ids.length;
  expect(want).toBeGreaterThan(0);
  await expect(page.getByTestId('grid-count')).toHaveText(`${want} shown · query`);
  await page.getByLabel('Tile field').selectOption('suggested');
  await expect(cells.first().locator('.tile-score')).toHaveText(/^→ \d$/);
  await page.screenshot({ path: testInfo.outputPath('grid-suggested.png') });
  await query.fill('reviewed = false');
  await query.press('Enter');
  const unreviewed = (await api.call('samples.query', { query: 'reviewed = false' })).ids.length;
  expect(unreviewed).toBeGreaterThan(0);
  expect(unreviewed).toBeLessThan(400);
  await expect(page.getByTestId('grid-count')).toHaveText(`${unreviewed} shown · query`);

  // The detail panel of the accepted sample: its evidence, and the suggestion recorded in its history.
  await query.fill(`id = ${first}`);
  await query.press('Enter');
  // Click only once the grid shows the query's answer: a click on the tile of the last query
  // selects a sample the new answer then drops.
  await expect(page.getByTestId('grid-count')).toHaveText('1 shown · query');
  await expect(cells.first()).toHaveAttribute('data-sample-id', String(first));
  await cells.first().click();
  const detail = page.getByTestId('detail-panel');
  await expect(detail.getByTestId('evidence-label')).toHaveText(s1);
  await expect(detail.getByTestId('neighbours').locator('.vote')).toHaveCount(10);
  await expect(detail.getByTestId('label-history')).toContainText(`(suggested ${s1})`);
  await page.screenshot({ path: testInfo.outputPath('detail-evidence.png') });

  // A in the detail panel accepts the suggestion of a doubtful sample not yet reviewed.
  await query.fill('noise > 0.5 and reviewed = false');
  await query.press('Enter');
  const doubtful = (await api.call('samples.query', { query: 'noise > 0.5 and reviewed = false' })).ids.length;
  expect(doubtful).toBeGreaterThan(0);
  await expect(page.getByTestId('grid-count')).toHaveText(`${doubtful} shown · query`);
  await cells.first().click();
  await expect(detail.getByTestId('detail-accept')).toBeVisible();
  const target = Number(await cells.first().getAttribute('data-sample-id'));
  const want2 = (await detail.getByTestId('evidence-suggested').textContent())!;
  await blur(page);
  await page.keyboard.press('a');
  await expect(notice).toContainText('Accepted:');
  await expect.poll(async () => (await api.call('samples.get', { id: target })).label).toBe(want2);

  // The help lists the review keys.
  await blur(page);
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts')).toContainText('In review: Enter / A');
  await expect(page.getByTestId('shortcuts')).toContainText('Accept the suggested label');
  api.close();
});
