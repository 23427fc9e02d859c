import { test } from 'node:test';
import assert from 'node:assert/strict';
import { swapPicks, type SwapCluster } from './modes/prototype-swaps';
import type { Block } from './modes/joint-space';
import { curate } from './curate';
import { computeScores } from './scores';
import { fixtureInput } from '../../../testing/curation/fixture';

/** Unit vectors at these angles (degrees), one 2-D row each. */
function angles(deg: number[]): Float32Array {
  const out = new Float32Array(deg.length * 2);
  deg.forEach((a, i) => { out[2 * i] = Math.cos((a * Math.PI) / 180); out[2 * i + 1] = Math.sin((a * Math.PI) / 180); });
  return out;
}

/** Rows labelled correctly by their most similar pick (cosine), each row left out of its own pick. */
function nearestPickCorrect(v: Float32Array, codes: Int32Array, picks: ArrayLike<number>): number {
  let correct = 0;
  for (let r = 0; r < codes.length; r++) {
    let best = -1, bestV = -Infinity;
    for (let t = 0; t < picks.length; t++) {
      const p = picks[t];
      if (p === r) continue;
      const s = v[2 * r] * v[2 * p] + v[2 * r + 1] * v[2 * p + 1];
      if (s > bestV) { bestV = s; best = p; }
    }
    if (codes[best] === codes[r]) correct++;
  }
  return correct;
}

// Class 0: a core at 0–20° and a tail from 40° to 58°; class 1: tight around 75°. The most
// typical member of class 0 (the core's centre, 10°) puts the boundary near 42.5°, so most of
// its tail is labelled class 1; a member further out moves the boundary up and labels it right.
const deg = [
  ...Array.from({ length: 12 }, (_, i) => (i * 20) / 11), // rows 0–11: class 0's core
  ...Array.from({ length: 10 }, (_, i) => 40 + i * 2), // rows 12–21: class 0's tail, 40–58°
  ...Array.from({ length: 20 }, (_, i) => 70 + (i * 10) / 19), // rows 22–41: class 1
];
const codes = Int32Array.from(deg, (_, i) => (i < 22 ? 0 : 1));
const rows = Int32Array.from(deg, (_, i) => i);
const vectors = angles(deg);
const block: Block = { data: vectors, dim: 2 };
// The candidates as the clustering gives them: nearest the cluster's mean first (the pick).
const byDistance = (members: number[], centre: number) => Int32Array.from([...members].sort((a, b) => Math.abs(deg[a] - centre) - Math.abs(deg[b] - centre) || a - b));
const class0 = byDistance(Array.from({ length: 22 }, (_, i) => i), 10);
const class1 = byDistance(Array.from({ length: 20 }, (_, i) => 22 + i), 75);

test('a pick gives way to a member of its own cluster that labels more rows right by nearest pick', () => {
  const clusters: SwapCluster[] = [{ pick: class0[0], candidates: class0 }, { pick: class1[0], candidates: class1 }];
  const before = nearestPickCorrect(vectors, codes, clusters.map((c) => c.pick));
  const after = swapPicks([block], codes, rows, clusters);
  const now = nearestPickCorrect(vectors, codes, after);
  assert.ok(before <= deg.length - 10, `the typical members label class 0's tail as class 1 (${before} right)`);
  // Every row but the two picks, which (each left out of its own) are labelled by the other's.
  assert.equal(now, deg.length - 2, 'the tail is labelled class 0 once class 0\'s pick sits further out');
  // Each pick stays among its own cluster's candidates, so the clusters and quotas hold.
  after.forEach((p, t) => assert.ok(clusters[t].candidates.includes(p), `pick ${t} (${p}) left its candidates`));
  assert.deepEqual(swapPicks([block], codes, rows, clusters), after, 'the same picks for the same input');
});

test('a swap that wins in one space but loses more in the other is not made', () => {
  // Class 0's one candidate besides its typical member is the tail row at 50°: in the first
  // space it labels the tail right (+8), but in the second it looks like class 1 (it sits among
  // class 1's rows, packed at 71–73°, with class 1's pick), so there it would label about half of
  // class 1 wrong. The other rows look in the second space as in the first, the tail like the core.
  const tail50 = 17;
  const other = angles(deg.map((a, i) => (i === tail50 ? 72.05 : i >= 22 ? 71 + ((i - 22) * 2) / 19 : i >= 12 ? 10 : a)));
  const clusters: SwapCluster[] = [{ pick: class0[0], candidates: Int32Array.of(class0[0], tail50) }, { pick: class1[0], candidates: Int32Array.of(class1[0]) }];
  const first = swapPicks([block], codes, rows, clusters);
  assert.equal(first[0], tail50, 'the first space alone swaps');
  const both = swapPicks([block, { data: other, dim: 2 }], codes, rows, clusters);
  assert.equal(both[0], class0[0], 'both spaces together keep the typical member');
  const total = (picks: ArrayLike<number>) => nearestPickCorrect(vectors, codes, picks) + nearestPickCorrect(other, codes, picks);
  assert.ok(total(both) > total(first), `summed over the spaces: ${total(first)} with the swap, ${total(both)} without`);
});

test('the embedding counts twice: a swap that gains more rows in the look than it loses in the embedding, but not twice as many, is not made', () => {
  // The tail row at 50° sits in the second space just inside class 1's rows (71.5° among
  // 71–73°): as class 0's pick there it labels 6 rows fewer right, while in the first space it
  // labels 9 more right (the tail).
  const tail50 = 17;
  const other = angles(deg.map((a, i) => (i === tail50 ? 71.5 : i >= 22 ? 71 + ((i - 22) * 2) / 19 : i >= 12 ? 10 : a)));
  const keep = [class0[0], class1[0]], swap = [tail50, class1[0]];
  assert.equal(nearestPickCorrect(vectors, codes, swap) - nearestPickCorrect(vectors, codes, keep), 9);
  assert.equal(nearestPickCorrect(other, codes, keep) - nearestPickCorrect(other, codes, swap), 6);
  const clusters: SwapCluster[] = [{ pick: class0[0], candidates: Int32Array.of(class0[0], tail50) }, { pick: class1[0], candidates: Int32Array.of(class1[0]) }];
  // The first block is the embedding: 2 × 6 lost outweighs 9 gained in the look.
  assert.equal(swapPicks([{ data: other, dim: 2 }, block], codes, rows, clusters)[0], class0[0], 'the embedding loses 6: kept');
  // The same spaces the other way round: 2 × 9 gained in the embedding against 6 lost in the look.
  assert.equal(swapPicks([block, { data: other, dim: 2 }], codes, rows, clusters)[0], tail50, 'the embedding gains 9: swapped');
});

test('too few rows per pick to judge a swap by: the picks stay as they are', () => {
  const clusters: SwapCluster[] = [{ pick: class0[0], candidates: class0.slice(0, 20) }, { pick: class1[0], candidates: class1.slice(0, 20) }];
  assert.deepEqual(Array.from(swapPicks([block], codes, rows.subarray(0, 3), clusters)), [class0[0], class1[0]]);
  assert.deepEqual(Array.from(swapPicks([block], codes, rows, clusters, { poolRows: 3 })), [class0[0], class1[0]]);
});

test('representative: the swaps keep one pick per cluster and the class quotas; without them the typical members', () => {
  const input = fixtureInput();
  const scores = computeScores(input);
  const req = { mode: 'representative', n: 60, seed: 3 } as const;
  const swapped = curate(input, scores, req).picks;
  const plain = curate(input, scores, { ...req, prototypeSwaps: false }).picks;
  const perClass = (picks: typeof plain) => {
    const c = new Array<number>(10).fill(0);
    for (const p of picks) c[input.labels![p.index]]++;
    return c;
  };
  assert.deepEqual(perClass(swapped), perClass(plain));
  assert.deepEqual(swapped.map((p) => p.cluster).sort((a, b) => a! - b!), plain.map((p) => p.cluster).sort((a, b) => a! - b!));
  const moved = swapped.filter((p) => !plain.some((q) => q.index === p.index)).length;
  assert.ok(moved > 0 && moved < 60, `${moved} of 60 picks swapped`);
  for (const p of swapped) assert.equal(scores.noise!.likelyMislabeled[p.index], 0);
});
