import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appearancePairs, DEFAULT_APPEARANCE_THRESHOLD, findAppearanceDuplicates, signatureDistance, uniqueSignatures } from './appearance-duplicates';
import { appearanceSignature, SIGNATURE_LENGTH } from './signature';
import { computeScores } from './scores';
import { mnistFixture } from '../../../testing/curation/fixture';
import { shiftedCopy } from '../../../testing/curation/mnist';
import { createRng, sampleIndices } from '../../../../src-shared/random';

const SHIFTS = [-2, -1, 1, 2];

/** The fixture's 3,000 digits, then `copies` shifted 1–2 px with σ = 8 noise (as the bench makes them). */
function withCopies(copies: number) {
  const f = mnistFixture();
  const rng = createRng(21);
  const src = sampleIndices(f.n, copies, rng);
  const sigs: Uint8Array[] = [];
  for (let i = 0; i < f.n; i++) sigs.push(appearanceSignature(f.pixels.subarray(i * 784, i * 784 + 784), 28, 28, 1));
  for (let t = 0; t < copies; t++) {
    let dx = 0, dy = 0;
    while (dx === 0 && dy === 0) {
      dx = rng() < 0.5 ? 0 : SHIFTS[Math.floor(rng() * 4)];
      dy = rng() < 0.5 ? 0 : SHIFTS[Math.floor(rng() * 4)];
    }
    sigs.push(appearanceSignature(shiftedCopy(f.pixels, src[t], dx, dy, 8, rng), 28, 28, 1));
  }
  return { f, src, sigs };
}

test('shifted noisy copies are grouped with their source, distinct digits are not', () => {
  const COPIES = 100;
  const { f, src, sigs } = withCopies(COPIES);
  const groups = findAppearanceDuplicates(sigs);
  let found = 0, grouped = 0, good = 0;
  const truth = new Set<number>([...src, ...Array.from({ length: COPIES }, (_, t) => f.n + t)]);
  for (let t = 0; t < COPIES; t++) if (groups.groupOf[f.n + t] >= 0 && groups.groupOf[f.n + t] === groups.groupOf[src[t]]) found++;
  for (let i = 0; i < sigs.length; i++) if (groups.groupOf[i] >= 0) { grouped++; if (truth.has(i)) good++; }
  // Measured: 98 / 100 found, every grouped sample a copy or its source.
  assert.ok(found >= 95, `recall ${found} / ${COPIES}`);
  assert.ok(good / grouped >= 0.97, `precision ${good} / ${grouped}`);
  // The 3,000 real digits alone: none is an appearance duplicate of another.
  assert.equal(findAppearanceDuplicates(sigs.slice(0, f.n)).groups.length, 0);
});

test('the search is exact: same pairs as comparing every pair; groups never chain', () => {
  const { sigs } = withCopies(40);
  const some = sigs.slice(0, 1200).concat(sigs.slice(3000));
  // A loose threshold too, where the tree has many candidates and single linkage would chain.
  for (const threshold of [DEFAULT_APPEARANCE_THRESHOLD, 0.02]) {
    const brute: string[] = [];
    for (let i = 0; i < some.length; i++) {
      for (let j = i + 1; j < some.length; j++) if (signatureDistance(some[i], some[j]) <= threshold) brute.push(`${i}-${j}`);
    }
    const pairs = appearancePairs(some, threshold);
    assert.deepEqual(Array.from(pairs.a, (a, t) => `${a}-${pairs.b[t]}`).sort(), brute.sort());
    for (let t = 0; t < pairs.a.length; t++) assert.ok(Math.abs(pairs.distance[t] - signatureDistance(some[pairs.a[t]], some[pairs.b[t]])) < 1e-6);
    const near = new Set(brute);
    const linked = (i: number, j: number) => near.has(i < j ? `${i}-${j}` : `${j}-${i}`);
    const groups = findAppearanceDuplicates(some, threshold);
    // Every member is within the threshold of one member (the representative), and every
    // grouped pair counts, so no group is a chain.
    for (const g of groups.groups) assert.ok(Array.from(g).some((r) => Array.from(g).every((m) => m === r || linked(r, m))), `group ${Array.from(g)}`);
    if (threshold > DEFAULT_APPEARANCE_THRESHOLD) assert.ok(groups.groups.length > 0);
  }
});

test('a chain of near pairs is not one group', () => {
  // Signatures along a path: each is near the next, the ends are far apart.
  const path = Array.from({ length: 12 }, (_, k) => {
    const s = new Uint8Array(SIGNATURE_LENGTH);
    for (let p = 0; p < 256; p++) s[p] = Math.round(127 + 120 * Math.sin(p / 9 + k * 0.06));
    s.set([128, 150, 128, 128], 256);
    return s;
  });
  const step = signatureDistance(path[0], path[1]), ends = signatureDistance(path[0], path[11]);
  assert.ok(ends > 20 * step);
  const groups = findAppearanceDuplicates(path, step * 1.01);
  // Union-find would make one group of 12; stars hold a representative and its two neighbours.
  assert.ok(Math.max(...groups.groups.map((g) => g.length)) <= 3, `${groups.groups.map((g) => g.length)}`);
});

test('samples without a signature and flat images are never grouped; identical ones are', () => {
  const f = mnistFixture();
  const a = appearanceSignature(f.pixels.subarray(0, 784), 28, 28, 1);
  const flat = appearanceSignature(new Uint8Array(784).fill(30), 28, 28, 1);
  const g = findAppearanceDuplicates([a, null, a.slice(), undefined, flat, flat.slice()]);
  assert.deepEqual(Array.from(g.groupOf), [0, -1, 0, -1, -1, -1]);
  assert.equal(signatureDistance(flat, flat), 1);
  assert.equal(findAppearanceDuplicates([]).groups.length, 0);
});

test('identical signatures become one node, confirmed byte by byte whatever their hash', () => {
  const f = mnistFixture();
  const a = appearanceSignature(f.pixels.subarray(0, 784), 28, 28, 1);
  const b = appearanceSignature(f.pixels.subarray(784, 1568), 28, 28, 1);
  // One byte apart: a different node, though every byte but one agrees.
  const c = a.slice();
  c[SIGNATURE_LENGTH - 1] ^= 1;
  const rows = [a, b, a.slice(), null, c, b.slice(), a.slice()];
  // The real hash, and one under which every signature collides (the chain decides alone).
  for (const hash of [undefined, () => 7]) {
    const u = uniqueSignatures(rows, hash);
    assert.deepEqual(Array.from(u.nodeOf), [0, 1, 0, -1, 2, 1, 0]);
    assert.deepEqual(u.firstOf, [0, 1, 4]);
    assert.deepEqual(u.weight, [3, 2, 1]);
    assert.deepEqual(u.unique.map((s) => Array.from(s)), [a, b, c].map((s) => Array.from(s)));
  }
});

test('bad signatures and thresholds are refused', () => {
  assert.throws(() => findAppearanceDuplicates([new Uint8Array(SIGNATURE_LENGTH), new Uint8Array(10)]), { code: 'INVALID_INPUT' });
  for (const t of [NaN, -0.1, 3, Infinity]) assert.throws(() => findAppearanceDuplicates([], t), { code: 'INVALID_REQUEST' });
});

test('computeScores merges the appearance rule into the near duplicates', () => {
  const COPIES = 20;
  const { f, src, sigs } = withCopies(COPIES);
  const input = { vectors: f.vectors, dim: f.dim, graph: f.graph, labels: f.labels, classNames: f.classNames };
  const base = computeScores(input);
  assert.equal(base.appearanceDuplicates, undefined);
  // The fixture has no rows for the copies, so give each copy's signature to its source's
  // first neighbour: then the two real digits must share a near-duplicate group.
  const signatures: (Uint8Array | null)[] = sigs.slice(0, f.n);
  const partner = Array.from(src, (i) => f.graph.indices[i * f.graph.k]);
  for (let t = 0; t < COPIES; t++) signatures[partner[t]] = sigs[f.n + t];
  const scores = computeScores({ ...input, signatures });
  let together = 0;
  for (let t = 0; t < COPIES; t++) if (scores.nearDuplicates.groupOf[src[t]] >= 0 && scores.nearDuplicates.groupOf[src[t]] === scores.nearDuplicates.groupOf[partner[t]]) together++;
  assert.ok(together >= 18, `${together} / ${COPIES}`); // measured 19 / 20
  assert.deepEqual(scores.embeddingDuplicates, base.nearDuplicates);
  assert.ok(scores.appearanceDuplicates!.groups.length >= together);
  assert.throws(() => computeScores({ ...input, signatures: signatures.slice(1) }), { code: 'INVALID_INPUT' });
});
