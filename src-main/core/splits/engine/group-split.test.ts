import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkShares, groupAwareSplit, SplitError } from './group-split';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
}

/** 5 classes of uneven size, duplicate groups of 2–5 and a metadata grouping of 40 "cameras". */
function fixture(n = 1200, seed = 1) {
  const r = rng(seed);
  const labels = Int32Array.from({ length: n }, () => Math.floor(r() ** 1.5 * 5));
  const dups = new Int32Array(n).fill(-1);
  let g = 0;
  for (let i = 0; i + 5 < n; i += 12) {
    const size = 2 + Math.floor(r() * 4);
    for (let t = 0; t < size; t++) dups[i + t] = g;
    g++;
  }
  // Copies come from the same camera (runs of 30 samples; no duplicate group crosses a run).
  const camera = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 30));
  const ids = Int32Array.from({ length: n }, (_, i) => 1000 + i * 3);
  return { ids, labels, dups, camera };
}

function sidesOf(assign: Int32Array, grouping: Int32Array): Map<number, Set<number>> {
  const sides = new Map<number, Set<number>>();
  grouping.forEach((g, i) => { if (g >= 0) { if (!sides.has(g)) sides.set(g, new Set()); sides.get(g)!.add(assign[i]!); } });
  return sides;
}

const shares = [{ name: 'train', ratio: 0.7 }, { name: 'val', ratio: 0.2 }, { name: 'test', ratio: 0.1 }];

test('no duplicate group is split across sides, and each class is within ±1 of its ratio', () => {
  const f = fixture();
  const r = groupAwareSplit({ ids: f.ids, labels: f.labels, groupings: [f.dups], shares, seed: 7 });
  for (const [g, sides] of sidesOf(r.assign, f.dups)) assert.equal(sides.size, 1, `group ${g} lies on ${sides.size} sides`);
  for (let c = 0; c < 5; c++) {
    const size = f.labels.filter((l) => l === c).length;
    assert.ok(size > 10);
    shares.forEach((s, si) => {
      const got = f.labels.filter((l, i) => l === c && r.assign[i] === si).length;
      assert.ok(Math.abs(got - s.ratio * size) <= 1, `class ${c} ${s.name}: ${got} for ${s.ratio} × ${size}`);
    });
  }
  assert.ok(r.maxClassDeviation <= 1);
  assert.ok(r.groups > 50);
});

test('a metadata grouping is kept whole as well, together with the duplicate groups', () => {
  const f = fixture();
  const r = groupAwareSplit({ ids: f.ids, labels: f.labels, groupings: [f.dups, f.camera], shares: shares.slice(0, 2).map((s, i) => ({ ...s, ratio: i ? 0.2 : 0.8 })), seed: 3 });
  for (const grouping of [f.dups, f.camera]) for (const sides of sidesOf(r.assign, grouping).values()) assert.equal(sides.size, 1);
  // 40 cameras of 30 samples: the val share is met within a camera's size.
  const val = r.assign.filter((s) => s === 1).length;
  assert.ok(Math.abs(val - 0.2 * f.labels.length) < 60, `val has ${val}`);
});

test('the same seed gives the same split whatever the input order; another seed another split', () => {
  const f = fixture(600);
  const a = groupAwareSplit({ ids: f.ids, labels: f.labels, groupings: [f.dups], shares, seed: 11 });
  const again = groupAwareSplit({ ids: f.ids, labels: f.labels, groupings: [f.dups], shares, seed: 11 });
  assert.deepEqual(again.assign, a.assign);
  const order = Array.from({ length: 600 }, (_, i) => 599 - i);
  const rev = groupAwareSplit({ ids: order.map((i) => f.ids[i]!), labels: Int32Array.from(order, (i) => f.labels[i]!), groupings: [Int32Array.from(order, (i) => f.dups[i]!)], shares, seed: 11 });
  assert.deepEqual(Int32Array.from(order, (_, t) => rev.assign[order.indexOf(t)]!), a.assign, 'input order does not matter');
  const other = groupAwareSplit({ ids: f.ids, labels: f.labels, groupings: [f.dups], shares, seed: 12 });
  assert.notDeepEqual(other.assign, a.assign);
});

test('unlabelled samples are stratified as a class of their own', () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 50 ? -1 : 0));
  const r = groupAwareSplit({ ids: Int32Array.from({ length: 100 }, (_, i) => i), labels, groupings: [], shares: [{ name: 'a', ratio: 0.5 }, { name: 'b', ratio: 0.5 }], seed: 0 });
  assert.equal(r.assign.filter((s, i) => s === 0 && labels[i] === -1).length, 25);
  assert.equal(r.assign.filter((s, i) => s === 0 && labels[i] === 0).length, 25);
});

test('bad shares are refused with a clear message', () => {
  assert.throws(() => checkShares([{ name: 'train', ratio: 0.8 }, { name: 'val', ratio: 0.1 }]), /sum to 1, got 0.9/);
  assert.throws(() => checkShares([{ name: 'train', ratio: 1 }]), /at least two parts/);
  assert.throws(() => checkShares([{ name: 'train', ratio: 0.5 }, { name: 'train', ratio: 0.5 }]), /named twice/);
  assert.throws(() => checkShares([{ name: 'tr ain', ratio: 0.5 }, { name: 'val', ratio: 0.5 }]), /letters, digits/);
  assert.throws(() => checkShares([{ name: 'a', ratio: Number.NaN }, { name: 'b', ratio: 0.5 }]), SplitError);
});
