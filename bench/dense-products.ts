// Dense products as the engines make them: dotRows with the engines' own JavaScript loop
// against onnxruntime's GEMM (core/native/gemm.ts, one intra-op thread, as every thread that
// runs engines installs it), on the shapes the app's hot steps have at a million 544-d vectors.
// Both on the same inputs in the same run, best of 3 each; the error is the largest
// difference from the loop's float64 sums, relative to the largest output.
//
//   npx tsx bench/dense-products.ts [--rows N] [--no-write]
import { dotRows, useRowProductKernel } from '../src-main/core/curate/engine/linalg';
import { nativeRowProducts } from '../src-main/core/native/gemm';
import { createRng, gaussian } from '../src-shared/random';
import { writeSection } from './lib/report';

const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : undefined; };
const rows = Number(arg('rows') ?? 20000);

interface Shape { what: string; m: number; c: number; d: number; perMillion: number }
// perMillion: how many such products one pass over a million rows makes (for the last column).
const shapes: Shape[] = [
  { what: 'map PCA projection, 544 → 50 (every row)', m: rows, c: 50, d: 544, perMillion: 1e6 / rows },
  { what: 'first picture: the two leading axes (every row)', m: rows, c: 2, d: 544, perMillion: 1e6 / rows },
  { what: 'label-noise probe: scoring every row, 10 classes (545 with the bias)', m: rows, c: 10, d: 545, perMillion: 1e6 / rows },
  { what: 'label-noise probe: Gram matrix of 20,000 training rows (545², summed over rows)', m: 545, c: 545, d: 20000, perMillion: 1 },
  { what: 'map PCA covariance of 10,000 sampled rows (544², summed over rows)', m: 544, c: 544, d: 10000, perMillion: 1 },
  { what: 'clustering projection, 544 → 32 (every row)', m: rows, c: 32, d: 544, perMillion: 1e6 / rows },
];

function randn(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => gaussian(rng));
}

function best(fn: () => void): number {
  let b = Infinity;
  for (let r = 0; r < 3; r++) { const t = performance.now(); fn(); b = Math.min(b, performance.now() - t); }
  return b;
}

const lines = ['| product (rows × columns × length) | JavaScript loop | onnxruntime GEMM | ratio | per million rows: loop → GEMM | largest error (relative) |', '|---|---|---|---|---|---|'];
for (const s of shapes) {
  const A = randn(s.m * s.d, 1), B = randn(s.c * s.d, 2);
  const loop = new Float64Array(s.m * s.c), gemm = new Float32Array(s.m * s.c);
  useRowProductKernel(null);
  const tLoop = best(() => dotRows(A, s.m, B, s.c, s.d, loop));
  useRowProductKernel(nativeRowProducts);
  const tGemm = best(() => dotRows(A, s.m, B, s.c, s.d, gemm));
  useRowProductKernel(null);
  let err = 0, top = 0;
  for (let i = 0; i < loop.length; i++) { err = Math.max(err, Math.abs(gemm[i]! - loop[i]!)); top = Math.max(top, Math.abs(loop[i]!)); }
  const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
  lines.push(`| ${s.what}: ${s.m.toLocaleString('en-US')} × ${s.c} × ${s.d.toLocaleString('en-US')} | ${fmt(tLoop)} | ${fmt(tGemm)} | **${(tLoop / tGemm).toFixed(1)}×** | ${fmt(tLoop * s.perMillion)} → ${fmt(tGemm * s.perMillion)} | ${(err / top).toExponential(1)} |`);
  console.log(lines[lines.length - 1]);
}

const body = `The engines' dense products (\`dotRows\`, src-main/core/curate/engine/linalg.ts) on one thread: the JavaScript loop (float64 sums) against onnxruntime's GEMM, the kernel that the core's session, the scoring thread and the map's workers install (src-main/core/native/gemm.ts; float32 sums, one intra-op thread). Same inputs, same run, best of 3 each. The "per million rows" column scales the row products to a million rows (the map job's and the first scoring's passes over every row at a million samples).

${lines.join('\n')}`;
if (!process.argv.includes('--no-write')) writeSection('dense products', `npx tsx bench/dense-products.ts${arg('rows') ? ` --rows ${rows}` : ''}`, body);
