import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { embedBatch, pool } from './embed';
import { ModelError } from './errors';
import { loadModel, type LoadedModel } from './load';
import { fixtureSpec, imageFixture } from '../../../testing/model-fixtures';

const models: LoadedModel[] = [];
let path = '';
before(() => {
  path = imageFixture();
});
after(async () => {
  for (const m of models) await m.session.release();
});

async function load(...args: Parameters<typeof fixtureSpec>): Promise<LoadedModel> {
  const m = await loadModel(path, fixtureSpec(...args), { device: 'cpu' });
  models.push(m);
  return m;
}

/** Two 8x8 NCHW images: channel c of image b is constant b*3+c+1, except the top-left quarter of channel 0 which is 9. */
function batch(): Float32Array {
  const x = new Float32Array(2 * 3 * 64);
  for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) for (let i = 0; i < 64; i++) x[(b * 3 + c) * 64 + i] = c === 0 && i % 8 < 4 && i < 32 ? 9 : b * 3 + c + 1;
  return x;
}

const norm = (v: Float32Array, r: number, d: number) => Math.hypot(...v.subarray(r * d, (r + 1) * d));

test('rows come back L2-normalised', async () => {
  const m = await load();
  const v = await embedBatch(m, batch(), 2);
  assert.equal(v.length, 6);
  for (const r of [0, 1]) assert.ok(Math.abs(norm(v, r, 3) - 1) < 1e-6);
  // image 0 channel means: (9*16 + 1*48)/64 = 3, 2, 3
  const k = 1 / Math.hypot(3, 2, 3);
  for (const [i, want] of [3 * k, 2 * k, 3 * k].entries()) assert.ok(Math.abs(v[i] - want) < 1e-6);
});

test('avg and avg2x2 pool a feature-map output', async () => {
  const avg = await embedBatch(await load({ outputName: 'map', pooling: 'avg' }), batch(), 2);
  const mean = await embedBatch(await load(), batch(), 2);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(avg[i] - mean[i]) < 1e-6);
  const grid = await embedBatch(await load({ outputName: 'map', pooling: 'avg2x2', embeddingDim: 12 }), batch(), 2);
  const raw = [9, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]; // channel-major, cells row by row
  const k = 1 / Math.hypot(...raw);
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(grid[i] - raw[i] * k) < 1e-6, `cell ${i}`);
});

test('cls takes token 0 and avg averages tokens of a rank-3 output', () => {
  const data = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // [2 images, 2 tokens, 3 dims]
  assert.deepEqual([...pool(data, [2, 2, 3], { pooling: 'cls', layout: 'NCHW' })], [1, 2, 3, 7, 8, 9]);
  assert.deepEqual([...pool(data, [2, 2, 3], { pooling: 'avg', layout: 'NCHW' })], [2.5, 3.5, 4.5, 8.5, 9.5, 10.5]);
  assert.deepEqual([...pool(data, [1, 2, 2, 3], { pooling: 'avg', layout: 'NHWC' })], [5.5, 6.5, 7.5]);
});

test('an output whose width disagrees with the spec is a bad-output-shape error', async () => {
  const m = await load({ embeddingDim: 4 });
  await assert.rejects(embedBatch(m, batch(), 2), (e: unknown) => e instanceof ModelError && e.code === 'bad-output-shape' && /3 values per image; the spec says 4/.test(e.message));
  await assert.rejects(embedBatch(m, batch(), 3), RangeError);
});
