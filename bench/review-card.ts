// The review card on the 70,000-digit MNIST project in the real app (browser mode, headless
// Chromium): main-thread JS time from a decision key (K, keep) or a move (→) to the next card
// rendered with its evidence (a User Timing measure the card records, "review:next-card"), and the
// page's whole JS per decision (CDP ScriptDuration from the key until the edit has landed and
// the summary refreshed). The project's map and scores are stand-ins written straight into the
// catalog (a 2-d layout, a 10-neighbour ring graph, random noise and suggestions): the renderer's
// work per card is the same as with real ones, and building them for real takes many minutes.
//   npx tsx bench/review-card.ts [--reps 30]
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ProjectSession } from '../src-main/core/project-session';
import { createRng } from '../src-shared/random';
import { writeSection } from './lib/report';
import { CHROMIUM_ARGS } from './scene/browser';
import { startWebServer } from '../e2e/support/server';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const K = 10;
const { values } = parseArgs({ options: { reps: { type: 'string', default: '30' } } });
const REPS = Number(values.reps);

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor((a.length * p) / 100))]!;
const f1 = (v: number) => v.toFixed(1);

async function buildProject(dir: string): Promise<{ project: string; n: number }> {
  const project = join(dir, 'mnist.winnow');
  const res = spawnSync(process.execPath, [join(ROOT, 'bin/winnow.mjs'), 'import', 'mnist', '--project', project], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`import failed: ${res.stderr}`);
  const session = ProjectSession.open(project, { progress: () => {}, finished: () => {} });
  const cols = session.catalog.columns();
  const ids = Int32Array.from(cols.ids);
  const n = ids.length;
  const setId = session.embeddings.findOrCreateSet({ key: 'bench-2d', name: 'bench 2-d', sha256: 'none', onnxPath: '', spec: { inputSize: 28, channels: 1, embeddingDim: 2 } as never });
  const positions = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) { positions[2 * i] = (i % 300) / 30; positions[2 * i + 1] = Math.floor(i / 300) / 30; }
  session.embeddings.writeBatch(setId, Array.from(ids), positions, 2, []);
  const indices = new Int32Array(n * K);
  const distances = new Float32Array(n * K);
  for (let i = 0; i < n; i++) for (let j = 0; j < K; j++) { indices[i * K + j] = (i + j + 1) % n; distances[i * K + j] = 0.05 * (j + 1); }
  session.maps.save(setId, ids, positions, { n, k: K, indices, distances }, { bench: true }, {});
  const mapId = session.maps.latestId()!;
  const rng = createRng(7);
  const put = session.catalog.db.prepare('INSERT OR REPLACE INTO scores (map_id, sample_id, sparseness, noise, suggested_label, suggested_confidence, dup_group, exact_dup_group, cluster, model_disagree, model_label) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL)');
  session.catalog.db.transaction(() => {
    for (let i = 0; i < n; i++) put.run(mapId, ids[i], rng(), rng(), String(Math.floor(rng() * 10)), rng());
  })();
  await session.close();
  return { project, n };
}


async function scriptMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? NaN) * 1000;
}

const position = (page: Page) => page.getByTestId('review-position').textContent();

/** Presses `key` and waits for the card to move; returns the card's own measure and the page's JS until things settle. */
async function step(page: Page, cdp: CDPSession, key: string): Promise<{ cardMs: number; pageJsMs: number; wallMs: number }> {
  const from = await position(page);
  await page.evaluate("performance.clearMeasures('review:next-card')");
  const before = await scriptMs(cdp);
  const t0 = performance.now();
  await page.keyboard.press(key);
  await page.waitForFunction((f) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=review-position]')?.textContent !== f, from, { polling: 20, timeout: 30_000 });
  const wallMs = performance.now() - t0;
  // The edit lands, the summary refreshes (debounced 150 ms), the next cards prefetch.
  await page.waitForTimeout(900);
  const after = await scriptMs(cdp);
  const cardMs = Number(await page.evaluate("(performance.getEntriesByName('review:next-card', 'measure').at(-1) || { duration: NaN }).duration"));
  return { cardMs, pageJsMs: after - before, wallMs };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-review-bench-'));
  let stop: (() => Promise<void>) | null = null;
  try {
    const t0 = performance.now();
    const { project, n } = await buildProject(dir);
    console.log(`project of ${n} samples: ${f1((performance.now() - t0) / 1000)} s`);
    const staticDir = join(dir, 'renderer');
    const built = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.web.config.mts', '--outDir', staticDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`renderer build failed: ${built.stderr}`);
    const server = await startWebServer(['--project', project, '--static', staticDir]);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    stop = async () => { await browser.close(); await server.stop(); };
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    page.on('pageerror', (e) => console.log(`[page error] ${String(e)}`));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(server.url);
    await page.getByTestId('total-count').filter({ hasText: n.toLocaleString('en-US') }).or(page.getByTestId('total-count').filter({ hasText: String(n) })).waitFor({ timeout: 60_000 });
    // The whole dataset as the queue: every sample selected (query → Select), then R, in noise order.
    await page.getByLabel('Query').fill('id >= 0');
    await page.getByLabel('Query').press('Enter');
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('r');
    const card = page.getByTestId('review');
    await card.getByTestId('evidence').waitFor({ timeout: 60_000 });
    await card.getByLabel('Review order').selectOption('noise');
    await page.waitForFunction("document.querySelector('[data-testid=review-position]')?.textContent?.startsWith('1 of ')", null, { timeout: 60_000 });
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.waitForTimeout(1500);
    console.log(`queue: ${await position(page)}`);
    const keep: Array<Awaited<ReturnType<typeof step>>> = [];
    const move: Array<Awaited<ReturnType<typeof step>>> = [];
    // Rep -1 warms up (first JIT of the card and edit paths) and is not counted.
    for (let i = -1; i < REPS; i++) {
      const k = await step(page, cdp, 'k');
      const m = await step(page, cdp, 'ArrowRight');
      if (i < 0) continue;
      keep.push(k);
      move.push(m);
      console.log(`rep ${i}: keep → next card ${f1(k.cardMs)} ms JS (page JS per decision ${f1(k.pageJsMs)} ms, key → card ${f1(k.wallMs)} ms); → next card ${f1(m.cardMs)} ms`);
    }
    const left = await position(page);
    await page.screenshot({ path: join(tmpdir(), 'review-card-bench.png') });
    const row = (name: string, r: typeof keep) => `| ${name} | ${f1(median(r.map((x) => x.cardMs)))} | ${f1(pct(r.map((x) => x.cardMs), 90))} | ${f1(Math.max(...r.map((x) => x.cardMs)))} | ${f1(median(r.map((x) => x.pageJsMs)))} | ${f1(median(r.map((x) => x.wallMs)))} |`;
    const med = median(keep.map((x) => x.cardMs));
    const body = `The review card on a ${n.toLocaleString('en-US')}-sample project (all of MNIST; a queue of every sample, highest noise first), headless Chromium on SwiftShader, browser mode. **Key → next card**: main-thread time from the keydown to the commit of the next card with its evidence (the card's own User Timing measure, \`review:next-card\`: React render and DOM update; the evidence and thumbnails of the next cards are prefetched, so no round trip is inside it). **Page JS per step**: CDP ScriptDuration from the key until 0.9 s later (the edit applied to the ${n.toLocaleString('en-US')}-row columns, the summary refreshed, the next cards prefetched). Wall: key until the position changes, as Playwright sees it. Median of ${REPS} after one warm-up; map, graph and scores are synthetic stand-ins (see the script).\n\n| step | key → next card ms (median) | p90 | max | page JS per step ms | key → card wall ms |\n|---|---|---|---|---|---|\n${row('K (keep, a decision)', keep)}\n${row('→ (next, no decision)', move)}\n\nTarget (issue 12): ≤ 16 ms JS to show the next card at 70k samples: **${med <= 16 ? 'met' : 'not met'}** (median ${f1(med)} ms). Queue after the run: ${left}.`;
    writeSection('review-card', `npx tsx bench/review-card.ts --reps ${REPS}`, body);
    console.log(body);
  } finally {
    await stop?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
