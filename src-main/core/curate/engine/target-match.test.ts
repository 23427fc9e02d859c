import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, gaussian } from '../../../../src-shared/random';
import { CurateError } from './errors';
import { matchShares, matchTarget } from './target-match';
import { targetSpace } from './target-space';
import { estimateReferenceClasses, representativeness } from './representativeness';

const DIM = 16;
const CLUSTERS = 6;

/** Rows drawn from CLUSTERS Gaussian blobs; `weights` sets how often each blob is drawn. Label = blob % 3. */
function blobs(count: number, weights: number[], seed: number): { v: Float32Array; blob: Int32Array } {
  const rng = createRng(seed);
  const centres = createRng(99);
  const c = Array.from({ length: CLUSTERS }, () => Array.from({ length: DIM }, () => gaussian(centres) * 3));
  const total = weights.reduce((a, b) => a + b, 0);
  const v = new Float32Array(count * DIM);
  const blob = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let u = rng() * total, b = 0;
    while (u >= weights[b]!) { u -= weights[b]!; b++; }
    blob[i] = b;
    for (let j = 0; j < DIM; j++) v[i * DIM + j] = c[b]![j]! + gaussian(rng);
  }
  return { v, blob };
}

const pool = blobs(3000, [1, 1, 1, 1, 1, 1], 1);
const labels = Int32Array.from(pool.blob, (b) => b % 3);
// A skewed reference: mostly blobs 0 and 4 (classes 0 and 1), a little of blob 2.
const reference = blobs(400, [5, 0, 1, 0, 4, 0], 2);

describe('matching a reference distribution', () => {
  const space = targetSpace(pool.v, reference.v, DIM, { seed: 3 });

  it('herding and cluster quotas bring the MMD well below a random pick of the same size', () => {
    const herd = matchTarget(space, { n: 200, seed: 3 });
    const quotas = matchTarget(space, { n: 200, seed: 3, method: 'quotas' });
    const random = matchTarget(space, { n: 200, seed: 3, method: 'random' });
    assert.equal(herd.picks.length, 200);
    assert.equal(new Set(herd.picks.map((p) => p.index)).size, 200);
    assert.ok(herd.mmd < 0.4 * herd.randomMmd, `herding ${herd.mmd} vs random ${herd.randomMmd}`);
    assert.ok(quotas.mmd < 0.6 * quotas.randomMmd, `quotas ${quotas.mmd} vs random ${quotas.randomMmd}`);
    assert.ok(Math.abs(random.mmd - random.randomMmd) < 0.5 * random.randomMmd);
    // The picks come from the reference's blobs.
    const fromRef = herd.picks.filter((p) => [0, 2, 4].includes(pool.blob[p.index]!)).length;
    assert.ok(fromRef >= 190, `${fromRef} of 200 from the reference's blobs`);
  });

  it('with labels, the class mix follows the reference (quotas met exactly)', () => {
    const r = matchTarget(space, { n: 200, seed: 3, labels, numClasses: 3 });
    assert.ok(r.classQuota && r.referenceClassShare);
    const got = [0, 0, 0, 0];
    for (const p of r.picks) got[labels[p.index]!]++;
    assert.deepEqual(got, r.classQuota);
    // Reference: blob 0 → class 0, blob 4 → class 1, blob 2 → class 2, at about 5 : 4 : 1.
    assert.ok(Math.abs(r.referenceClassShare[0]! - 0.5) < 0.08 && Math.abs(r.referenceClassShare[1]! - 0.4) < 0.08, `${r.referenceClassShare}`);
    // Reference rows' own labels, where given, win over the estimate.
    const given = Int32Array.from({ length: 400 }, () => 2);
    const forced = matchTarget(space, { n: 100, seed: 3, labels, numClasses: 3, referenceLabels: given });
    assert.deepEqual(forced.classQuota, [0, 0, 100, 0]);
    assert.ok(forced.picks.every((p) => labels[p.index] === 2));
  });

  it('is deterministic for a seed, and only picks candidates', () => {
    const a = matchTarget(targetSpace(pool.v, reference.v, DIM, { seed: 5 }), { n: 50, seed: 5, method: 'quotas' });
    const b = matchTarget(targetSpace(pool.v, reference.v, DIM, { seed: 5 }), { n: 50, seed: 5, method: 'quotas' });
    assert.deepEqual(a.picks, b.picks);
    assert.equal(a.mmd, b.mmd);
    const h1 = matchTarget(space, { n: 50, seed: 5 }), h2 = matchTarget(space, { n: 50, seed: 5 });
    assert.deepEqual(h1.picks, h2.picks);
    const candidates = Int32Array.from({ length: 1000 }, (_, i) => i * 3);
    const only = matchTarget(space, { n: 100, seed: 5, candidates });
    assert.ok(only.picks.every((p) => p.index % 3 === 0));
  });

  it('refuses N larger than the pool, a fractional N and an empty reference', () => {
    assert.throws(() => matchTarget(space, { n: 3001 }), (e: unknown) => e instanceof CurateError && e.code === 'INVALID_N' && /larger than the pool: 3000/.test(e.message));
    assert.throws(() => matchTarget(space, { n: 10, candidates: new Int32Array(5) }), /larger than the pool: 5/);
    assert.throws(() => matchTarget(space, { n: 2.5 }), (e: unknown) => e instanceof CurateError && e.code === 'INVALID_N');
    const empty = { ...space, reference: new Float32Array(0) };
    assert.throws(() => matchTarget(empty, { n: 10 }), /reference set is empty/);
  });

  it('the report: a curated slice is closer to the reference than a random one, and covers fewer pool clusters', () => {
    const r = matchTarget(space, { n: 200, seed: 3, labels, numClasses: 3 });
    const { counts } = estimateReferenceClasses(space, labels, 3);
    const input = { space, clusters: r.clusters, hasReference: true, labels, numClasses: 3, referenceClassCounts: counts!, seed: 3 };
    const curated = representativeness(input, r.picks.map((p) => p.index));
    const random = representativeness(input, matchTarget(space, { n: 200, seed: 3, method: 'random' }).picks.map((p) => p.index));
    assert.ok(curated.mmdToReference! < 0.5 * random.mmdToReference!);
    assert.ok(curated.mmdToPool > random.mmdToPool);
    assert.ok(Math.abs(random.randomMmdToReference! - curated.randomMmdToReference!) < 1e-12, 'the random baseline depends on size and seed only');
    assert.ok(curated.coverage.hit <= random.coverage.hit && random.coverage.share > 0.8);
    assert.ok(curated.coverage.referenceCovered! > 0.9);
    const slice0 = curated.classMix!.find((c) => c.class === 0)!;
    assert.ok(Math.abs(slice0.slice - slice0.reference!) < 0.02 && Math.abs(slice0.pool - 1 / 3) < 0.05);
    assert.throws(() => representativeness(input, []), /empty/);
    assert.throws(() => representativeness(input, [5000]), /not in the pool/);
  });
});

describe('matching a metadata distribution', () => {
  const groups = Int32Array.from({ length: 100 }, (_, i) => (i < 10 ? 0 : i < 60 ? 1 : i < 90 ? 2 : -1));

  it('splits N by the shares, at random inside each group, deterministic for a seed', () => {
    const r = matchShares(groups, [0.5, 0.3, 0.2], 20, 1);
    assert.deepEqual(r.got, [10, 6, 4]);
    assert.deepEqual(r.rows.map((i) => groups[i]).sort(), [...Array(10).fill(0), ...Array(6).fill(1), ...Array(4).fill(2)]);
    assert.deepEqual(matchShares(groups, [0.5, 0.3, 0.2], 20, 1).rows, r.rows);
    assert.notDeepEqual(matchShares(groups, [0.5, 0.3, 0.2], 20, 2).rows, r.rows);
  });

  it('a group too small for its share gives what it has; the rest goes to the others, with a warning', () => {
    const r = matchShares(groups, [0.8, 0.1, 0.1], 30, 1);
    assert.deepEqual(r.wanted, [24, 3, 3]);
    assert.equal(r.got[0], 10);
    assert.equal(r.rows.length, 30);
    assert.match(r.warnings[0]!, /group 0 has 10 samples, fewer than its share of N \(24\)/);
  });

  it('refuses N over the rows of the target values, and shares that are all 0 or negative', () => {
    assert.throws(() => matchShares(groups, [1, 0, 0], 11, 1), /N = 11 is larger than the pool: 10 samples/);
    assert.throws(() => matchShares(groups, [0, 0, 0], 5, 1), /N = 5 is larger than the pool: 0 samples|shares must be/);
    assert.throws(() => matchShares(groups, [1, -1, 0], 5, 1), /shares must be numbers ≥ 0/);
  });
});
