// Quality and speed of the built-in embedding models on MNIST and Fashion-MNIST: leave-one-out
// 5-NN accuracy (cosine) on the 10,000 test items of each, against raw pixels in the same run,
// and ms per image. Two models: the fast one (float build; the int8 build has its own bench,
// embed-int8.ts) and the accurate one (builtin-config.ts), whitened as the embed job whitens it:
// fitted on 5,000 of the items drawn with the job's seed (core/embed/set-whitening.ts), applied
// to all of them.
//
//   npx tsx bench/embed-quality.ts [--count N] [--batch B] [--threads T]
//
// All 70,000 vectors of a set, for the curation benches, come from bench/lib/dataset-vectors.ts
// (cached in bench/.data; `npx tsx bench/lib/dataset-vectors.ts [--model accurate] [mnist|fashion]`).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { embedBatch, loadModel, outputWidth, parseModelSpec, type LoadedModel } from '../src-main/core/embed/model';
import { useNativeRowProducts } from '../src-main/core/native/gemm';
import { buildAccurateModel, buildBuiltinModel, type BuiltModel } from '../scripts/model/build-builtin';
import { looKnnAccuracy, normaliseRows } from '../scripts/model/knn-eval';
import { loadFashionMnist, loadMnist, type Digits } from '../scripts/model/mnist';
import { digitBatch } from '../scripts/model/mnist-input';
import { whitenLikeTheJob } from './lib/builtin-vectors';
import { writeSection } from './lib/report';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const count = Number(arg('count', '10000'));
const batch = Number(arg('batch', '64'));
const threads = Number(arg('threads', String(Math.min(4, os.availableParallelism()))));

interface Timed {
  vectors: Float32Array;
  prepMs: number;
  runMs: number;
}

async function embedAll(model: LoadedModel, d: Digits, n: number): Promise<Timed> {
  const width = outputWidth(model.spec);
  const vectors = new Float32Array(n * width);
  let prepMs = 0;
  let runMs = 0;
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const t0 = performance.now();
    const x = digitBatch(d, s, m, model.spec);
    const t1 = performance.now();
    vectors.set(await embedBatch(model, x, m), s * width);
    prepMs += t1 - t0;
    runMs += performance.now() - t1;
  }
  return { vectors, prepMs, runMs };
}

async function load(built: BuiltModel): Promise<LoadedModel> {
  return loadModel(built.path, parseModelSpec(JSON.parse(readFileSync(built.specPath, 'utf8'))), { device: 'cpu', threads });
}

// The whitening's products run natively, as on the embed job's fitting thread.
useNativeRowProducts();
const fastBuilt = await buildBuiltinModel();
const accurateBuilt = await buildAccurateModel();
const fast = await load(fastBuilt);
const accurate = await load(accurateBuilt);

const sets: Array<[string, Digits]> = [['MNIST', loadMnist('test', count)]];
const fashion = loadFashionMnist('test', count);
if (fashion) sets.push(['Fashion-MNIST', fashion]);
else console.log('Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); measured on MNIST only');

// Speed: best of 5 passes over 10 batches, because this machine is shared and the minimum is
// the least disturbed by other work; the full pass's average is reported beside it.
const timingN = Math.min(count, 10 * batch);
async function speed(model: LoadedModel, d: Digits): Promise<{ prep: number; run: number }> {
  await embedAll(model, d, Math.min(count, 2 * batch)); // warm-up: first runs allocate
  let prep = Infinity;
  let run = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const t = await embedAll(model, d, timingN);
    prep = Math.min(prep, t.prepMs / timingN);
    run = Math.min(run, t.runMs / timingN);
  }
  return { prep, run };
}
const fastSpeed = await speed(fast, sets[0]![1]);
const accurateSpeed = await speed(accurate, sets[0]![1]);

const pct = (a: number) => `${(100 * a).toFixed(2)} %`;
const rows: string[] = [];
for (const [name, d] of sets) {
  const rawAcc = await looKnnAccuracy(normaliseRows(Float32Array.from(d.pixels), 784), 784, d.labels);
  const f = await embedAll(fast, d, count);
  const fastAcc = await looKnnAccuracy(f.vectors, fast.spec.embeddingDim, d.labels);
  const a = await embedAll(accurate, d, count);
  const whitened = whitenLikeTheJob(accurate, a.vectors, count);
  const accurateAcc = await looKnnAccuracy(whitened.vectors, accurate.spec.embeddingDim, d.labels);
  const line = (label: string, dim: number, acc: number, ms: string, avg: string) => `| ${name} | ${label} | ${dim} | ${pct(acc)} | ${((1 - acc) / (1 - rawAcc)).toFixed(2)}× | ${ms} | ${avg} |`;
  rows.push(
    line('raw pixels (L2-normalised)', 784, rawAcc, '–', '–'),
    line('fast (`builtin`, float build)', fast.spec.embeddingDim, fastAcc, `${(fastSpeed.prep + fastSpeed.run).toFixed(2)} (${fastSpeed.prep.toFixed(2)} preprocess + ${fastSpeed.run.toFixed(2)} inference)`, ((f.prepMs + f.runMs) / count).toFixed(2)),
    line('accurate (`builtin-accurate`), whitened', accurate.spec.embeddingDim, accurateAcc, `${(accurateSpeed.prep + accurateSpeed.run).toFixed(2)} (${accurateSpeed.prep.toFixed(2)} + ${accurateSpeed.run.toFixed(2)})`, `${((a.prepMs + a.runMs) / count).toFixed(2)}, and ${whitened.fitS.toFixed(1)} s to fit the whitening`),
  );
  console.log(`${name}: raw ${pct(rawAcc)}, fast ${pct(fastAcc)}, accurate ${pct(accurateAcc)} (whitening fit ${whitened.fitS.toFixed(1)} s)`);
}
const ratio = (fastSpeed.prep + fastSpeed.run) / (accurateSpeed.prep + accurateSpeed.run);
console.log(`speed: fast ${(fastSpeed.prep + fastSpeed.run).toFixed(2)} ms/image, accurate ${(accurateSpeed.prep + accurateSpeed.run).toFixed(2)} ms/image (${ratio.toFixed(2)}× the fast model's images/s)`);

writeSection(
  'embed-quality',
  'npx tsx bench/embed-quality.ts',
  `Built-in models on the CPU provider, batch ${batch}, ${threads} intra-op threads: the fast \`${fast.spec.name}\` (float build, sha256 \`${fastBuilt.sha256.slice(0, 16)}…\`) and the accurate \`${accurate.spec.name}\` (sha256 \`${accurateBuilt.sha256.slice(0, 16)}…\`), ` +
    `whitened as the embed job whitens it: fitted on ${Math.min(accurate.spec.whiten!.sample, count).toLocaleString('en')} of the items drawn with the job's seed, applied to all. ` +
    `${count.toLocaleString('en')} test items of each set (28 px grey, resized to each model's input by \`preprocess\` and copied to 3 channels); ` +
    'leave-one-out 5-NN accuracy with cosine similarity. Speed is measured on MNIST digits (the input size is the same for both sets).\n\n' +
    `| set | embedding | dim | 5-NN LOO accuracy | error rate vs raw pixels | ms / image (best of 5 × ${timingN}) | ms / image (full-pass average) |\n|---|---|---|---|---|---|---|\n` +
    `${rows.join('\n')}\n\n` +
    `The accurate model embeds at ${ratio.toFixed(2)}× the fast model's images/s (best of 5, same run). ` +
    `This machine is shared with other work (1-minute load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores when the run ended), so times are upper bounds.\n`,
);
await fast.session.release();
await accurate.session.release();
