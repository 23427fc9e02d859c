// Embedding pipeline throughput against bare `session.run` on pre-made tensors of the same
// model and batch size, measured in the same run; optionally all 70,000 MNIST digits.
//   npx tsx bench/embed-pipeline.ts [--n 4000] [--full]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import type { EmbedJobResult } from '../src-shared/model/embedding';
import { loadModel, preprocess } from '../src-main/core/embed/model';
import { resolveModel } from '../src-main/core/embed/model-source';
import type { JobEvents } from '../src-main/core/jobs/job-manager';
import { readMnistPart } from '../src-main/core/import/import-mnist';
import { ProjectSession } from '../src-main/core/project-session';
import { peakRssMiB, writeSection } from './lib/report';

const { values } = parseArgs({ options: { n: { type: 'string', default: '4000' }, full: { type: 'boolean', default: false }, batch: { type: 'string', default: '64' } } });
const N = Number(values.n);
const BATCH = Number(values.batch);

async function bare(): Promise<number> {
  const source = resolveModel('builtin');
  const model = await loadModel(source.onnxPath, source.spec, { device: 'cpu' });
  const part = readMnistPart('test');
  const per = 3 * source.spec.inputSize.width * source.spec.inputSize.height;
  const batches: Float32Array[] = [];
  for (let b = 0; b * BATCH < N; b++) {
    const t = new Float32Array(per * BATCH);
    for (let i = 0; i < BATCH; i++) t.set(preprocess(part.images.subarray(((b * BATCH + i) % part.count) * 784, ((b * BATCH + i) % part.count + 1) * 784), 28, 28, 1, source.spec), i * per);
    batches.push(t);
  }
  const dims = [BATCH, 3, source.spec.inputSize.height, source.spec.inputSize.width];
  await model.session.run({ [source.spec.inputName]: new ort.Tensor('float32', batches[0]!, dims) });
  const t0 = performance.now();
  for (const t of batches) await model.session.run({ [source.spec.inputName]: new ort.Tensor('float32', t, dims) });
  const seconds = (performance.now() - t0) / 1000;
  await model.session.release();
  return (batches.length * BATCH) / seconds;
}

async function pipeline(limit: number | null): Promise<{ rate: number; seconds: number; n: number; jobRate: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-embed-'));
  // Steady-state rate: from the first committed batch to the last, as the baseline excludes its
  // warm-up run (worker start and onnxruntime's first run are paid once per job).
  let first: { t: number; done: number } | null = null;
  let last: { t: number; done: number } | null = null;
  const events: JobEvents = {
    progress: (p) => {
      if (p.kind !== 'embed' || p.done === 0) return;
      const now = performance.now();
      if (!first) first = { t: now, done: p.done };
      last = { t: now, done: p.done };
    },
    finished: () => {},
  };
  try {
    const project = ProjectSession.create(join(dir, 'b.winnow'), events);
    await project.jobs.wait(project.startImport({ kind: 'mnist' }));
    if (limit !== null) {
      project.catalog.db.prepare('DELETE FROM images WHERE sample_id > ?').run(limit);
      project.catalog.db.prepare('DELETE FROM samples WHERE id > ?').run(limit);
    }
    const t0 = performance.now();
    const job = await project.jobs.wait(project.startEmbed({ device: 'cpu', batch: BATCH }));
    const seconds = (performance.now() - t0) / 1000;
    if (job.state !== 'done') throw new Error(job.error ?? job.state);
    const r = job.result as EmbedJobResult;
    await project.close();
    const f = first as { t: number; done: number } | null;
    const l = last as { t: number; done: number } | null;
    const rate = f && l && l.t > f.t ? (l.done - f.done) / ((l.t - f.t) / 1000) : r.imagesPerSecond;
    return { rate, seconds, n: r.embedded, jobRate: r.imagesPerSecond };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bareRate = await bare();
const pipe = await pipeline(N);
const bareAfter = await bare();
const baseline = (bareRate + bareAfter) / 2;
console.log(`bare session.run: ${bareRate.toFixed(1)} / ${bareAfter.toFixed(1)} images/s; pipeline: ${pipe.rate.toFixed(1)} images/s; ratio ${(pipe.rate / baseline).toFixed(3)}`);
let full = '';
if (values.full) {
  const all = await pipeline(null);
  console.log(`all ${all.n} MNIST digits: ${all.seconds.toFixed(1)} s, ${all.rate.toFixed(1)} images/s`);
  full = `\n| all 70,000 MNIST digits through the job | ${all.rate.toFixed(1)} images/s steady | ${all.seconds.toFixed(0)} s wall for the whole job (${(all.n / all.seconds).toFixed(0)} images/s) |`;
}
writeSection('embed-pipeline', `npx tsx bench/embed-pipeline.ts --n ${N}${values.full ? ' --full' : ''}`, `
Built-in model (MobileNetV2-1.4 block 12, 112 px, 544-d), CPU provider, batch ${BATCH}, ${N} MNIST digits.
Baseline: bare \`session.run\` on tensors preprocessed in advance (measured before and after the pipeline, averaged).
Pipeline: the embed job end to end (blobs read from SQLite, decode/resize in a worker thread, inference, vectors committed per batch).

| what | throughput | note |
|---|---|---|
| bare session.run | ${baseline.toFixed(1)} images/s | before ${bareRate.toFixed(1)}, after ${bareAfter.toFixed(1)} |
| embed job, steady state (first batch to last) | ${pipe.rate.toFixed(1)} images/s | ${pipe.seconds.toFixed(1)} s wall; ${pipe.jobRate.toFixed(1)} images/s counting the worker start and first run |
| **ratio job / bare** | **${(pipe.rate / baseline).toFixed(3)}** | target ≥ 0.9 |${full}

Peak RSS of the bench process: ${peakRssMiB().toFixed(0)} MiB.

Where the gap to the bare run comes from on this 2-core machine: onnxruntime's operators run on both cores, and the
worker that decodes and resizes the next batches (≈ 0.08 ms per MNIST digit, ≈ 5 % of the CPU work) takes one of them
from time to time, which stalls each parallel operator until both halves finish. Running the preparation on the main
thread between runs instead measured lower (0.76). With more cores than onnxruntime's threads the overlap is free.
`);
