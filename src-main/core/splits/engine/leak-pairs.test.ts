import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLeaks, leakPairsPage } from './leak-pairs';

test('pairs across splits are counted per split pair and class; pairs within one split are not leaks', () => {
  // groups: 0 = {0 train, 1 test} exact; 1 = {2 train, 3 train} (no leak); 2 = {4 train, 5 test, 6 val, 7 test} near; 8 has no split
  const groupOf = Int32Array.from([0, 0, 1, 1, 2, 2, 2, 2, 2]);
  const split = Int32Array.from([0, 1, 0, 0, 0, 1, 2, 1, -1]);
  const labels = Int32Array.from([0, 0, 1, 1, 1, 1, 2, -1, 1]);
  const hashes = ['h0', 'h0', 'h2', 'h3', 'h4', 'h5', 'h6', 'h4', 'h8'];
  const f = findLeaks({ groupOf, split, splitNames: ['train', 'test', 'val'], labels, classNames: ['a', 'b', 'c'], hashes });
  // group 0: 1 pair; group 2: train–test 2, train–val 1, test–val 2 → 6 pairs
  assert.equal(f.counts.pairs, 6);
  assert.equal(f.counts.exactPairs, 2, 'h0 twice, and 4 with 7');
  assert.equal(f.counts.samples, 6);
  assert.equal(f.counts.groups, 2);
  assert.deepEqual(f.counts.bySplitPair, [
    { a: 'train', b: 'test', pairs: 3, exact: 2, samplesA: 2, samplesB: 3 },
    { a: 'train', b: 'val', pairs: 1, exact: 0, samplesA: 1, samplesB: 1 },
    { a: 'test', b: 'val', pairs: 2, exact: 0, samplesA: 2, samplesB: 1 },
  ]);
  assert.deepEqual(f.counts.byClass, [
    { label: 'a', samples: 2, pairs: 1 },
    { label: 'b', samples: 2, pairs: 1 },
    { label: 'c', samples: 1, pairs: 0 },
    { label: null, samples: 1, pairs: 0 },
  ]);
  assert.equal(f.counts.mixedLabelPairs, 4);
  assert.deepEqual([...f.leaking], [1, 1, 0, 0, 1, 1, 1, 1, 0]);
  const all = leakPairsPage(f, split, hashes, 0, 100);
  assert.equal(all.length, 6);
  assert.deepEqual(all[0], { a: 0, b: 1, exact: true });
  assert.deepEqual(leakPairsPage(f, split, hashes, 2, 2), all.slice(2, 4), 'pages are slices of one order');
  assert.deepEqual(leakPairsPage(f, split, hashes, 6, 10), []);
});

test('a burst of identical copies in two splits is counted without listing every pair', () => {
  const n = 40_000;
  const groupOf = new Int32Array(n);
  const split = Int32Array.from({ length: n }, (_, i) => i % 2);
  const f = findLeaks({ groupOf, split, splitNames: ['train', 'test'], labels: new Int32Array(n), classNames: ['x'], hashes: new Array(n).fill('same') });
  assert.equal(f.counts.pairs, 20_000 * 20_000);
  assert.equal(f.counts.exactPairs, 20_000 * 20_000);
  assert.equal(leakPairsPage(f, split, new Array(n).fill('same'), 0, 5).length, 5);
});
