// The review loop's core calls on a 70,000-sample project (issue 12: the next card must show
// within a frame): review.evidence (the next card), review.decide + undo, the queue of a
// 1,000-sample mislabelled slice and of a 70,000-sample selection, the summary and the
// accept-all preview. The map is a stand-in (2-d vectors, a seeded random k = 15 graph) and the
// scores are synthetic: the latency of these calls does not depend on what the numbers are.
//
//   npx tsx bench/review-latency.ts [--reps 200]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src-shared/random';
import { ProjectSession } from '../src-main/core/project-session';
import { ReviewService } from '../src-main/core/review/review-service';
import { writeSyntheticScores } from '../src-main/testing/synthetic-scores';
import { writeSection } from './lib/report';

const args = process.argv.slice(2);
const REPS = Number(args[args.indexOf('--reps') + 1] ?? 200) || 200;
const K = 15;
const quiet = { progress: () => {}, finished: () => {} };
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
const p95 = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length * 0.95)]!;

const dir = mkdtempSync(join(tmpdir(), 'winnow-review-latency-'));
try {
  const project = ProjectSession.create(join(dir, 'mnist.winnow'), quiet);
  const imp = await project.jobs.wait(project.startImport({ kind: 'mnist' }));
  if (imp.state !== 'done') throw new Error(imp.error ?? 'import failed');
  const ids = Int32Array.from(project.catalog.columns().ids);
  const n = ids.length;
  const setId = project.embeddings.findOrCreateSet({ key: 'bench-2d', name: 'bench 2-d', sha256: 'none', onnxPath: '', spec: { inputSize: 28, channels: 1, embeddingDim: 2 } as never });
  const rng = createRng(3);
  const positions = Float32Array.from({ length: n * 2 }, () => rng() * 10);
  project.embeddings.writeBatch(setId, Array.from(ids), positions, 2, []);
  const indices = new Int32Array(n * K);
  const distances = new Float32Array(n * K);
  for (let i = 0; i < n; i++) for (let t = 0; t < K; t++) { indices[i * K + t] = (i + 1 + Math.floor(rng() * (n - 1))) % n; distances[i * K + t] = 0.05 * (t + 1); }
  const mapId = project.maps.save(setId, ids, positions, { n, k: K, indices, distances }, { bench: true }, {});
  writeSyntheticScores(project.catalog, mapId);
  const slice = project.slices.save('mislabeled', 'mislabeled', {}, 0, mapId, Array.from({ length: 1000 }, (_, t) => ({ sampleId: ids[t * 70]!, reason: 'likely mislabelled' })));
  const ref = `${slice.name}@${slice.version}`;
  const review = new ReviewService(project);

  const time = (f: () => unknown) => { const t0 = performance.now(); f(); return performance.now() - t0; };
  const first = time(() => review.evidence(ids[0]!));
  const check = review.evidence(ids[1]!);
  if (check.neighbours.length !== 10 || check.noise === null) throw new Error(`evidence incomplete: ${JSON.stringify(check).slice(0, 300)}`);
  console.log(`evidence of #${ids[1]}: ${check.reason}`);
  const pick = () => ids[Math.floor(rng() * n)]!;
  const evidence = Array.from({ length: REPS }, () => time(() => review.evidence(pick())));
  const decide = Array.from({ length: Math.min(REPS, 100) }, () => time(() => { review.decide(pick(), { kind: 'keep' }); }));
  const undo = Array.from({ length: Math.min(REPS, 100) }, () => time(() => project.labels.undo()));
  const sliceQueue = Array.from({ length: 10 }, () => time(() => review.queue({ slice: ref })));
  const allQueue = Array.from({ length: 5 }, () => time(() => review.queue({ ids, order: 'noise' })));
  const summary = Array.from({ length: 10 }, () => time(() => review.summary({ slice: ref })));
  const preview = Array.from({ length: 5 }, () => time(() => review.acceptAll({ ids, minNoise: 0.5, dryRun: true })));
  await project.close();

  const row = (what: string, a: number[]) => `| ${what} | ${median(a).toFixed(2)} ms | ${p95(a).toFixed(2)} ms | ${a.length} |`;
  const body = `
A ${n.toLocaleString('en')}-sample MNIST project (winnow import), a stand-in map (k = ${K} random graph) and synthetic scores; each call as the review.* handler makes it, in-process (no transport). The first evidence call of a map reads its graph (${first.toFixed(0)} ms); later calls reuse it.

| call | median | p95 | calls |
|---|---|---|---|
${row('review.evidence (next card: scores, 10 neighbours with labels, slices, reason)', evidence)}
${row('review.decide keep (one edit, history rows)', decide)}
${row('labels.undo of a decision', undo)}
${row('review.queue of the 1,000-sample mislabelled slice (noise order, position)', sliceQueue)}
${row(`review.queue of a ${n.toLocaleString('en')}-sample selection by noise`, allQueue)}
${row('review.summary of the slice', summary)}
${row(`review.acceptAll preview over ${n.toLocaleString('en')} samples`, preview)}
`;
  console.log(body);
  writeSection('review (core latency, 70,000 samples)', `npx tsx bench/review-latency.ts${args.length ? ` ${args.join(' ')}` : ''}`, body);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
