// Hover picking on its own, in Node: nearest() on the spatial grid of 1,000,000 synthetic points
// (the layout bench/scene.ts uses), at random positions with the pick radius of an 800 × 600
// canvas fitted to the data. The baseline, measured in the same run, is the same search written
// as a forEachInRect callback (nearest() before this change): the grid walk is shared with the
// level-of-detail and lasso code, so its `visit` call site sees several callbacks and V8 cannot
// inline them: one real call per point in the pick square.
//   npx tsx bench/scene-pick.ts
import { PICK_RADIUS_PX } from '../src-renderer/scene/constants';
import { spritesInView } from '../src-renderer/scene/lod';
import { buildGrid, countInRect, forEachInRect, nearest, type SpatialGrid } from '../src-renderer/scene/spatialGrid';
import { createRng } from '../src-shared/random';
import { writeSection } from './lib/report';

const N = 1_000_000;
const PICKS = 20_000;
const ROUNDS = 7;

function synthetic(n: number): { x: Float32Array; y: Float32Array } {
  const r = createRng(42);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const centres = Array.from({ length: 20 }, () => [r() * 40 - 20, r() * 40 - 20, 0.5 + r() * 2.5]);
  for (let i = 0; i < n; i++) {
    const c = centres[Math.floor(r() * 20)]!;
    x[i] = c[0]! + (r() + r() + r() - 1.5) * c[2]!;
    y[i] = c[1]! + (r() + r() + r() - 1.5) * c[2]!;
  }
  return { x, y };
}

/** nearest() as it was: the same search through forEachInRect's callback. */
function nearestViaCallback(g: SpatialGrid, x: number, y: number, maxDist: number, skip?: Uint8Array | null): number {
  let best = -1;
  let bestD = maxDist * maxDist;
  forEachInRect(g, { minX: x - maxDist, minY: y - maxDist, maxX: x + maxDist, maxY: y + maxDist }, (id, px, py) => {
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d > bestD || (d === bestD && id < best)) return;
    best = id;
    bestD = d;
  }, skip);
  return best;
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;

function main(): void {
  const { x, y } = synthetic(N);
  const g = buildGrid(x, y);
  // As in the app: the level-of-detail rule and counting walk the grid too, with their callbacks.
  const all = { minX: -25, minY: -25, maxX: 25, maxY: 25 };
  spritesInView(g, { minX: -2, minY: -2, maxX: 2, maxY: 2 }, { max: 2000, overflowFactor: 4 }, null);
  countInRect(g, all, 10);
  let sum = 0;
  forEachInRect(g, { minX: 0, minY: 0, maxX: 1, maxY: 1 }, (id) => { sum += id; });
  // The pick radius in data units on an 800 × 600 canvas fitted to the layout (48 px padding).
  const scale = Math.min((800 - 96) / (g.cols * g.cellW), (600 - 96) / (g.rows * g.cellH));
  const radius = PICK_RADIUS_PX / scale;
  const r = createRng(7);
  const qx = Float64Array.from({ length: PICKS }, () => g.minX + r() * g.cols * g.cellW);
  const qy = Float64Array.from({ length: PICKS }, () => g.minY + r() * g.rows * g.cellH);
  const variants = { callback: nearestViaCallback, inline: nearest };
  const times: Record<keyof typeof variants, number[]> = { callback: [], inline: [] };
  const found: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(variants) as Array<[keyof typeof variants, typeof nearest]>) {
      let hits = 0;
      const t0 = performance.now();
      for (let i = 0; i < PICKS; i++) if (fn(g, qx[i]!, qy[i]!, radius, null) >= 0) hits++;
      times[name].push(((performance.now() - t0) * 1000) / PICKS);
      found[name] = hits;
    }
  }
  if (found.callback !== found.inline) throw new Error(`the two searches disagree: ${JSON.stringify(found)}`);
  // Both must pick the same point everywhere, not just as often.
  for (let i = 0; i < 2000; i++) if (nearest(g, qx[i]!, qy[i]!, radius) !== nearestViaCallback(g, qx[i]!, qy[i]!, radius)) throw new Error(`pick ${i} differs`);
  let inSquare = 0;
  for (let i = 0; i < 2000; i++) inSquare += countInRect(g, { minX: qx[i]! - radius, minY: qy[i]! - radius, maxX: qx[i]! + radius, maxY: qy[i]! + radius }, 1e9);
  const cb = median(times.callback);
  const il = median(times.inline);
  console.log({ callback: times.callback.map((t) => t.toFixed(2)), inline: times.inline.map((t) => t.toFixed(2)), found: found.inline, meanPointsInSquare: inSquare / 2000, sum });
  const body = `
Node ${process.version}, ${N.toLocaleString('en')} synthetic points in 20 clusters (bench/scene.ts's layout), grid of
${g.cols} × ${g.rows} cells; ${PICKS.toLocaleString('en')} picks at random positions, radius ${PICK_RADIUS_PX} px on an 800 × 600 canvas fitted to the data
(${(inSquare / 2000).toFixed(0)} points in the pick square on average, ${((100 * found.inline) / PICKS).toFixed(0)} % of picks hit a point). Median of ${ROUNDS} rounds.

| nearest() | µs per pick |
|---|---|
| through forEachInRect's callback (before; its call site also sees the LOD and counting callbacks) | ${cb.toFixed(2)} |
| own loop (now) | ${il.toFixed(2)} |

Ratio: ${(cb / il).toFixed(1)}× faster. Both give the same point for every pick (checked).
`;
  console.log(body);
  writeSection('scene-pick', 'npx tsx bench/scene-pick.ts', body);
}

main();
