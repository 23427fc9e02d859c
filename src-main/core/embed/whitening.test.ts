import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Xorshift32 } from '../../../src-shared/random';
import { normalisePartsOfRows } from './model/embed';
import { applyWhitening, decodeWhitening, encodeWhitening, fitWhitening } from './whitening';

const PART = 40;
const spec = { parts: [PART, PART], dim: 30, power: 0.5, sample: 5000 };

/**
 * Rows of two parts, as a model's runner gives them (each part unit length): in each part the
 * class lives in 20 directions of small spread, while 3 directions unrelated to the class vary
 * eight times as much, as a network's features carry the statistics it was trained on.
 */
function nuisanceDominated(n: number, classes: number, seed: number): { raw: Float32Array; labels: Uint8Array } {
  const rng = new Xorshift32(seed);
  const width = 2 * PART;
  const centres = Float64Array.from({ length: classes * width }, () => rng.normal());
  const nuisance = Float64Array.from({ length: 3 * width }, () => rng.normal());
  const raw = new Float32Array(n * width);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = c;
    const k = [8 * rng.normal(), 8 * rng.normal(), 8 * rng.normal()];
    for (let j = 0; j < width; j++) {
      const signal = j % PART < 20 ? centres[c * width + j]! + 0.6 * rng.normal() : 0.3 * rng.normal();
      raw[i * width + j] = signal + k[0]! * nuisance[j]! + k[1]! * nuisance[width + j]! + k[2]! * nuisance[2 * width + j]!;
    }
  }
  return { raw: normalisePartsOfRows(raw, spec.parts), labels };
}

/** Leave-one-out 1-NN accuracy by cosine (any row length). */
function oneNn(v: Float32Array, dim: number, labels: Uint8Array): number {
  const n = labels.length;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = -Infinity, who = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < dim; t++) s += v[i * dim + t]! * v[j * dim + t]!;
      if (s > best) { best = s; who = j; }
    }
    if (labels[who] === labels[i]) right++;
  }
  return right / n;
}

describe('whitening fitted on the project\'s own vectors', () => {
  it('divides out the directions that dwarf the classes: 1-NN by class is far better after it', () => {
    const { raw, labels } = nuisanceDominated(400, 4, 7);
    const before = oneNn(raw, 2 * PART, labels);
    const t = fitWhitening(raw, 400, spec);
    const after = oneNn(applyWhitening(raw, 400, t), 60, labels);
    assert.ok(after >= before + 0.3, `1-NN ${before.toFixed(3)} raw, ${after.toFixed(3)} whitened`);
  });

  it('gives rows of parts × dim values, each part of equal weight and each row unit length', () => {
    const { raw } = nuisanceDominated(100, 4, 8);
    const v = applyWhitening(raw, 100, fitWhitening(raw, 100, spec));
    assert.equal(v.length, 100 * 60);
    for (let r = 0; r < 100; r++) {
      let a = 0, b = 0;
      for (let j = 0; j < 30; j++) { a += v[r * 60 + j]! ** 2; b += v[r * 60 + 30 + j]! ** 2; }
      assert.ok(Math.abs(a - 0.5) < 1e-4 && Math.abs(b - 0.5) < 1e-4, `row ${r}: parts ${a}, ${b}`);
    }
  });

  it('fitted on fewer images than axes, still gives the full width (the missing axes zero)', () => {
    const { raw } = nuisanceDominated(6, 3, 9);
    const t = fitWhitening(raw, 6, spec);
    const v = applyWhitening(raw, 6, t);
    assert.equal(v.length, 6 * 60);
    assert.ok(v.every(Number.isFinite));
    for (let r = 0; r < 6; r++) assert.ok(v.subarray(r * 60 + 6, r * 60 + 30).every((x) => x === 0));
  });

  it('stored and read back, whitens to the same bits', () => {
    const { raw } = nuisanceDominated(120, 4, 10);
    const t = fitWhitening(raw, 120, spec);
    assert.deepEqual(applyWhitening(raw, 120, decodeWhitening(encodeWhitening(t))), applyWhitening(raw, 120, t));
  });
});
