// The aligned stage as the app runs it (aligned-groups.ts): on a worker thread the same pairs as
// in this thread, with its progress; past ALIGNED_MAX_ROWS no pixels are read at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src-shared/random';
import { frameFilling, shiftedFrame } from '../../testing/curation/frame-filling';
import { appearanceSignature, findAppearanceDuplicates } from './engine';
import { ALIGNED_MAX_ROWS, withAlignedCopies } from './aligned-groups';

test('the worker thread and this thread join the same copies', async () => {
  const rng = createRng(8);
  const items = Array.from({ length: 200 }, () => frameFilling(rng));
  const copies = Array.from({ length: 12 }, (_, k) => shiftedFrame(items[k * 7]!, 2, -1 - (k % 3), 0, rng));
  const pixels = [...items, ...copies];
  const signatures = pixels.map((p) => appearanceSignature(p, 28, 28, 1));
  const images = async () => pixels.map((data) => ({ data, width: 28, height: 28 }));
  const base = findAppearanceDuplicates(signatures);
  const shares: number[][] = [[], []];
  const here = await withAlignedCopies(base, signatures, images, Infinity, (s) => shares[0]!.push(s));
  const thread = await withAlignedCopies(base, signatures, images, 0, (s) => shares[1]!.push(s));
  assert.deepEqual(thread, here);
  // Progress rises to exactly 1, on either side.
  for (const s of shares) {
    assert.ok(s.length > 0);
    assert.equal(s.at(-1), 1);
    assert.ok(s.every((x, t) => x >= 0 && x <= 1 && (t === 0 || x >= s[t - 1]!)), s.join(' '));
  }
  assert.equal(copies.filter((_, k) => here.groupOf[k * 7]! >= 0 && here.groupOf[k * 7] === here.groupOf[200 + k]).length, copies.length);
});

test('past ALIGNED_MAX_ROWS the groups are returned as they are, without reading the pixels', async () => {
  const signatures = new Array<Uint8Array | null>(ALIGNED_MAX_ROWS + 1).fill(null);
  const base = findAppearanceDuplicates([]);
  let read = false;
  const out = await withAlignedCopies({ groupOf: new Int32Array(signatures.length).fill(-1), groups: base.groups }, signatures, async () => { read = true; return []; });
  assert.equal(read, false);
  assert.equal(out.groups.length, 0);
});
