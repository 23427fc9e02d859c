import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appearanceSignature, findAppearanceDuplicates, SIGNATURE_LENGTH } from './engine';
import { findAppearanceDuplicatesOnThreads } from './appearance-pairs';
import { mnistFixture } from '../../testing/curation/fixture';
import { shiftedCopy } from '../../testing/curation/mnist';
import { createRng, sampleIndices } from '../../../src-shared/random';

test('the two pattern searches on worker threads give the groups of the one-thread search', async () => {
  // 3,000 real digits, 150 shifted noisy copies and 20 exact ones (merged before the search).
  const f = mnistFixture();
  const rng = createRng(8);
  const sigs: (Uint8Array | null)[] = [];
  for (let i = 0; i < f.n; i++) sigs.push(appearanceSignature(f.pixels.subarray(i * 784, i * 784 + 784), 28, 28, 1));
  for (const s of sampleIndices(f.n, 150, rng)) sigs.push(appearanceSignature(shiftedCopy(f.pixels, s, 1, rng() < 0.5 ? 0 : -1, 8, rng), 28, 28, 1));
  for (const s of sampleIndices(f.n, 20, rng)) sigs.push(sigs[s]!.slice());
  sigs.push(null);
  const one = findAppearanceDuplicates(sigs);
  assert.ok(one.groups.length > 100, `${one.groups.length} groups`);
  // parallelAbove 0: the worker path even for this small set (the app uses it above 50,000).
  const shares: number[] = [];
  const threads = await findAppearanceDuplicatesOnThreads(sigs, 0.002, 0, (share) => shares.push(share));
  assert.deepEqual(threads.groupOf, one.groupOf);
  // Its progress: the workers' count of query rows passed, every range whole by the end.
  assert.ok(shares.length > 0 && shares.every((v, i) => v >= 0 && v <= 1 && (i === 0 || v >= shares[i - 1]!)), JSON.stringify(shares));
  assert.equal(shares.at(-1), 1);
  assert.deepEqual(threads.groups, one.groups);
  // Read in place from shared memory (as the scoring reads them), duplicates and gaps included.
  const packed = new Uint8Array(new SharedArrayBuffer(sigs.length * SIGNATURE_LENGTH));
  const inPlace = sigs.map((s, i) => (s ? (packed.set(s, i * SIGNATURE_LENGTH), packed.subarray(i * SIGNATURE_LENGTH, (i + 1) * SIGNATURE_LENGTH)) : null));
  assert.deepEqual((await findAppearanceDuplicatesOnThreads(inPlace, 0.002, 0)).groupOf, one.groupOf);
  // Below the bound it stays in this thread, with the same answer.
  assert.deepEqual((await findAppearanceDuplicatesOnThreads(sigs, 0.002)).groupOf, one.groupOf);
  await assert.rejects(findAppearanceDuplicatesOnThreads(sigs, NaN, 0), { code: 'INVALID_REQUEST' });
});
