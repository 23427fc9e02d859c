import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatEta, nextEta, type Eta } from './eta';

/** 10,000 items at a true 100 items/s, reported every 100 ms with a rate that swings ±60 %. */
function run(noise: number): Array<{ t: number; eta: number | null; truth: number }> {
  let eta: Eta | null = null;
  const out = [];
  for (let i = 1; i <= 900; i++) {
    const t = i * 100;
    const done = i * 10;
    const rate = 100 * (1 + noise * (i % 2 ? 1 : -1));
    eta = nextEta(eta, { done, total: 10_000, rate }, t);
    out.push({ t, eta: eta.seconds, truth: (10_000 - done) / 100 });
  }
  return out;
}

it('keeps the estimate steady when the reported rate swings from batch to batch', () => {
  const steps = run(0.6);
  // Raw estimates would jump between 25 % and 250 % of the truth on every report.
  for (let i = 50; i < steps.length; i++) {
    const step = Math.abs(steps[i]!.eta! - steps[i - 1]!.eta!);
    assert.ok(step < 1, `estimate moved ${step.toFixed(2)} s in one 100 ms report at ${i}`);
  }
});

it('converges to the true time left and counts down', () => {
  const steps = run(0.6);
  const late = steps.slice(100);
  for (const s of late) assert.ok(Math.abs(s.eta! - s.truth) / Math.max(5, s.truth) < 0.3, `eta ${s.eta} vs ${s.truth}`);
  assert.ok(steps.at(-1)!.eta! < steps[200]!.eta!);
});

it('has no estimate before there is a rate, and formats in coarse steps', () => {
  assert.equal(nextEta(null, { done: 0, total: 100, rate: 0 }, 0).seconds, null);
  assert.equal(formatEta(null), '');
  assert.equal(formatEta(42), 'about 45 s left');
  assert.equal(formatEta(125), 'about 3 min left');
});
