// The int8 built-in model against the float build of the same network, same run: bare
// `session.run` throughput on byte batches (interleaved rounds, median), the embed job's rate on
// an MNIST project, and leave-one-out 5-NN accuracy on 10,000 MNIST and 10,000 Fashion-MNIST
// test items (the quality the int8 build must hold: ≤ 0.5 point lost).
//   npx tsx bench/embed-int8.ts [--n 4000] [--rounds 5] [--eval 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import type { EmbedJobResult } from '../src-shared/model/embedding';
import { embedBytes, loadModel, type LoadedModel } from '../src-main/core/embed/model';
import { BYTE_INPUT } from '../src-main/core/embed/model/byte-input';
import { resolveModel } from '../src-main/core/embed/model-source';
import type { JobEvents } from '../src-main/core/jobs/job-manager';
import { ProjectSession } from '../src-main/core/project-session';
import { looKnnAccuracy, normaliseRows } from '../scripts/model/knn-eval';
import { loadFashionMnist, loadMnist, type Digits } from '../scripts/model/mnist';
import { writeSection } from './lib/report';

const { values } = parseArgs({ options: { n: { type: 'string', default: '4000' }, rounds: { type: 'string', default: '5' }, eval: { type: 'string', default: '10000' } } });
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const EVAL = Number(values.eval);
const BATCH = 64;
const VARIANTS = ['builtin-float', 'builtin-int8'] as const;
type Variant = (typeof VARIANTS)[number];
const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

async function load(variant: Variant): Promise<LoadedModel> {
  const source = resolveModel(variant);
  return loadModel(source.onnxPath, source.spec, { device: 'cpu', byteInput: { width: 28, height: 28, channels: 1 } });
}

/** Images/s of one pass of session.run over byte batches made in advance. */
async function barePass(model: LoadedModel, batches: Uint8Array[]): Promise<number> {
  const t0 = performance.now();
  for (const t of batches) await model.session.run({ [BYTE_INPUT]: new ort.Tensor('uint8', t, [BATCH, 28, 28, 1]) });
  return (batches.length * BATCH) / ((performance.now() - t0) / 1000);
}

async function jobRate(variant: Variant, dir: string): Promise<number> {
  const project = ProjectSession.create(join(dir, `${variant}.winnow`), quiet);
  try {
    await project.jobs.wait(project.startImport({ kind: 'mnist' }));
    project.catalog.db.prepare('DELETE FROM images WHERE sample_id > ?').run(N);
    project.catalog.db.prepare('DELETE FROM samples WHERE id > ?').run(N);
    const job = await project.jobs.wait(project.startEmbed({ device: 'cpu', batch: BATCH, model: variant }));
    if (job.state !== 'done') throw new Error(job.error ?? job.state);
    return (job.result as EmbedJobResult).imagesPerSecond;
  } finally {
    await project.close();
  }
}

async function accuracy(model: LoadedModel, set: Digits): Promise<number> {
  const d = model.spec.embeddingDim;
  const v = new Float32Array(set.count * d);
  for (let s = 0; s < set.count; s += BATCH) {
    const n = Math.min(BATCH, set.count - s);
    v.set(await embedBytes(model, set.pixels.subarray(s * 784, (s + n) * 784), n), s * d);
  }
  return looKnnAccuracy(normaliseRows(v, d), d, set.labels);
}

const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-int8-'));
try {
  const digits = loadMnist('test');
  const batches: Uint8Array[] = [];
  for (let b = 0; b * BATCH < N; b++) {
    const t = new Uint8Array(784 * BATCH);
    for (let i = 0; i < BATCH; i++) t.set(digits.pixels.subarray(((b * BATCH + i) % digits.count) * 784, ((b * BATCH + i) % digits.count + 1) * 784), i * 784);
    batches.push(t);
  }
  const models = { 'builtin-float': await load('builtin-float'), 'builtin-int8': await load('builtin-int8') };
  const bare: Record<Variant, number[]> = { 'builtin-float': [], 'builtin-int8': [] };
  for (const v of VARIANTS) await barePass(models[v], batches.slice(0, 2)); // warm-up
  // Interleaved rounds: this host's speed drifts within a minute, so each round compares like with like.
  for (let r = 0; r < ROUNDS; r++) for (const v of VARIANTS) bare[v].push(await barePass(models[v], batches));
  const ratios = bare['builtin-float'].map((f, i) => bare['builtin-int8'][i]! / f);
  const jobs: Record<Variant, number> = { 'builtin-float': await jobRate('builtin-float', dir), 'builtin-int8': await jobRate('builtin-int8', dir) };
  const sets = [['MNIST', loadMnist('test', EVAL)], ['Fashion-MNIST', loadFashionMnist('test', EVAL)]] as const;
  const acc: Record<string, Record<Variant, number>> = {};
  for (const [name, set] of sets) {
    if (!set) continue;
    acc[name] = { 'builtin-float': await accuracy(models['builtin-float'], set), 'builtin-int8': await accuracy(models['builtin-int8'], set) };
  }
  for (const v of VARIANTS) await models[v].session.release();
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const body = [
    `Both builds of the built-in model (MobileNetV2 block 12, 2×2 pooled, 544-d), CPU provider, batch ${BATCH}, MNIST digits as bytes (the job's input). Bare: ${N} images per pass, ${ROUNDS} interleaved rounds, median; job: an MNIST project of ${N} digits, whole job.`,
    '',
    '| | float (`--model builtin-float`) | int8 (`builtin-int8`, the CPU default where the CPU has VNNI) | int8 / float |',
    '|---|---|---|---|',
    `| bare session.run, images/s | ${median(bare['builtin-float']).toFixed(0)} | ${median(bare['builtin-int8']).toFixed(0)} | **${median(ratios).toFixed(2)}×** (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}) |`,
    `| embed job, images/s | ${jobs['builtin-float'].toFixed(0)} | ${jobs['builtin-int8'].toFixed(0)} | ${(jobs['builtin-int8'] / jobs['builtin-float']).toFixed(2)}× |`,
    ...Object.entries(acc).map(([name, a]) => `| 5-NN leave-one-out, ${EVAL.toLocaleString('en')} ${name} test items | ${pct(a['builtin-float'])} | ${pct(a['builtin-int8'])} | ${((a['builtin-int8'] - a['builtin-float']) * 100).toFixed(2)} points |`),
  ].join('\n');
  console.log(body);
  writeSection('embed int8', `npx tsx bench/embed-int8.ts --n ${N} --rounds ${ROUNDS} --eval ${EVAL}`, body);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
