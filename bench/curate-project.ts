// Auto-Curate end to end on the MNIST and Fashion-MNIST demo projects, as the app and `winnow
// curate` run it once the map exists: the first scoring of a mapped project (what the map job's
// last step waits for: the near-duplicate search by signature, then the aligned stage with the
// map's graph, label noise, the rest, the scores stored), then curate jobs (scores reused, the
// picks, a new slice version), then the steps of one representative run. bench/curate.ts
// measures the engine alone on arrays in memory; this is what a user waits for.
//
//   npx tsx bench/curate-project.ts [--mnist MNIST.winnow] [--fashion FASHION.winnow] [--build-dir DIR] [--runs 3]
//
// With a project given, a copy of it (the demo imported, embedded, mapped) is used, so the
// original is left as it was. Without one the project is built first: import the demo, embed
// with the built-in model on the CPU, map (a few minutes each, not measured here); with
// --build-dir it is built there and kept, and later runs copy it.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CurateJobResult } from '../src-shared/model/slice';
import { buildCurateInput } from '../src-main/core/curate/curate-input';
import { loadAppearance } from '../src-main/core/curate/appearance-store';
import { computeScores, curate, DEFAULT_APPEARANCE_THRESHOLD, findAppearanceDuplicates } from '../src-main/core/curate/engine';
import type { JobEvents } from '../src-main/core/jobs/job-manager';
import { ProjectSession } from '../src-main/core/project-session';
import { peakRssMiB, writeSection } from './lib/report';
import { useNativeRowProducts } from '../src-main/core/native/gemm';

// The engines' dense products as the app's threads make them (onnxruntime's GEMM).
useNativeRowProducts();

const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const RUNS = Number(arg('runs') ?? 3);
const buildDir = arg('build-dir');
const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const log = (s: string) => console.log(s);
const DATASETS = [
  { kind: 'mnist', title: 'MNIST', given: arg('mnist') },
  { kind: 'fashion-mnist', title: 'Fashion-MNIST', given: arg('fashion') },
] as const;

/** Wall and CPU milliseconds of one call (CPU of this process, its worker threads included). */
async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const both = (t: { wall: number; cpu: number }) => `${sec(t.wall)} (CPU ${sec(t.cpu)})`;

interface Measured { n: number; given: boolean; firstScoring: string; firstWall: number; repMedian: number; jobs: Record<string, string>; steps: string[] }
const results: Measured[] = [];
const MODES = [['representative', 'rep'], ['edge-cases', 'edge'], ['mislabeled', 'fix']] as const;
let stepNames: string[] = [];

for (const ds of DATASETS) {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-curate-'));
  const file = join(dir, `${ds.kind}.winnow`);
  // A given project, or one built before into --build-dir, is copied; otherwise it is built
  // (into --build-dir when given, and kept there for the next run).
  const source = ds.given ?? (buildDir ? join(buildDir, `${ds.kind}.winnow`) : undefined);
  if (ds.given && !existsSync(ds.given)) throw new Error(`no project at ${ds.given}`);
  if (!source || !existsSync(source)) {
    const built = ProjectSession.create(source ?? file, quiet);
    for (const [what, start] of [
      ['import', () => built.startImport({ kind: ds.kind })],
      ['embed', () => built.startEmbed({ device: 'cpu' })],
      ['map', () => built.startMap({})],
    ] as const) {
      log(`${ds.title}: building the project: ${what}…`);
      const job = await built.jobs.wait(start());
      if (job.state !== 'done') throw new Error(`${what} failed: ${job.error}`);
    }
    await built.close();
  }
  if (source) copyFileSync(source, file);
  const project = ProjectSession.open(file, quiet);
  const map = project.maps.require();
  const n = map.data.ids.length;

  // The first scoring, as a new project's map job ends: every cache of scores and groups emptied.
  project.catalog.db.exec('DELETE FROM score_cache; DELETE FROM appearance_groups;');
  const first = await timed(() => project.rescore());
  log(`${ds.title}: first scoring ${both(first)}`);

  // Whole jobs, as the CLI and the app run them (the scores above reused).
  const jobs: Record<string, string> = {};
  let repMedian = NaN;
  for (const [mode, name] of MODES) {
    const walls: number[] = [];
    let picks = 0;
    for (let r = 0; r < RUNS; r++) {
      const t = await timed(() => project.jobs.wait(project.startCurate({ mode, n: 1000, name })));
      if (t.value.state !== 'done') throw new Error(`curate ${mode} failed: ${t.value.error}`);
      picks = (t.value.result as CurateJobResult).picks.length;
      walls.push(t.wall);
    }
    if (mode === 'representative') repMedian = median(walls);
    jobs[mode] = `**${sec(median(walls))}** (${walls.map((w) => (w / 1000).toFixed(2)).join(' / ')}; ${picks} picked)`;
    log(`${ds.title}: curate ${mode}: ${walls.map((w) => (w / 1000).toFixed(2)).join(' ')} s`);
  }

  // The representative job's steps one by one (one more run, same process).
  const built = await timed(() => buildCurateInput(project.catalog, project.embeddings, project.maps));
  const look = await timed(() => loadAppearance(project.catalog, built.value.ids));
  const input = { ...built.value.input, signatures: look.value.signatures, tiles: look.value.tiles };
  const search = await timed(() => findAppearanceDuplicates(look.value.signatures, DEFAULT_APPEARANCE_THRESHOLD));
  const scores = await timed(() => computeScores(input, { appearanceDuplicates: search.value }));
  const rescore = await timed(() => project.rescore());
  const pick = await timed(() => curate(input, scores.value, { mode: 'representative', n: 1000, seed: 0 }));
  const steps: [string, { wall: number; cpu: number }][] = [
    [`1. read the map, the vectors and labels from the project${input.space ? ' (with the clustering projection stored by the map job)' : ''}`, built],
    ['2. read the appearance signatures and tiles (made by the import, stored)', look],
    ['3. near-duplicate groups by the signature rule alone, on this thread (a first scoring runs it on two, then the aligned stage: the first row holds both)', search],
    ['4. computeScores with those groups (sparseness, label noise with its linear probe, embedding duplicates, balance)', scores],
    ['a scoring with nothing changed, as a job runs it (the stored scores\' key checked, the scores reused)', rescore],
    ['5. curate representative N=1,000', pick],
  ];
  stepNames = steps.map(([name]) => name);
  results.push({ n, given: !!ds.given, firstScoring: both(first), firstWall: first.wall, repMedian, jobs, steps: steps.map(([, t]) => both(t)) });
  await project.close();
  rmSync(dir, { recursive: true, force: true });
}

const head = `| | ${DATASETS.map((d, i) => `${d.title} (${results[i]!.n.toLocaleString('en-US')} images)`).join(' | ')} |\n|---|${DATASETS.map(() => '---').join('|')}|`;
const body = `
Projects: the MNIST and Fashion-MNIST demos (\`winnow import mnist\` / \`fashion-mnist\`), embedded with the built-in model on the CPU and mapped (${results.map((r, i) => `${DATASETS[i]!.title}: ${r.given ? 'a copy of the given project' : 'built by this script'}`).join('; ')}; a given or kept project is measured on a copy). Wall times, with the CPU of all the process's threads. Targets: scores + a curate run ≤ 5 s once the map exists (issue 6); 70,000 images scored for near duplicates "in a few seconds" (issue 15).

The first scoring is what a new project's map job ends with (every score and near-duplicate-group cache emptied first): the near-duplicate search by signature, the aligned stage on worker threads (frame-filling images' shifted, cropped and rescaled copies, with the map's k-NN graph among the candidates; whole objects' crops and rescales), label noise and the other scores, the score rows stored. From 10,000 samples it runs on the scoring thread. Later scorings reuse the groups (until a signature changes) and the scores (until a label, exclusion or option changes). The curate jobs reuse the scores.

${head}
| first scoring (map job's last step) | ${results.map((r) => r.firstScoring).join(' | ')} |
${MODES.map(([mode]) => `| curate ${mode} N=1,000, median of ${RUNS} (runs; picks) | ${results.map((r) => r.jobs[mode]).join(' | ')} |`).join('\n')}

Against the targets: with the scores reused, the slowest curate job (representative) takes ${results.map((r, i) => `${sec(r.repMedian)} on ${DATASETS[i]!.title}`).join(' and ')} (≤ 5 s: ${results.every((r) => r.repMedian <= 5000) ? 'met' : '**not met**'}). The first scoring takes ${results.map((r, i) => `${sec(r.firstWall)} on ${DATASETS[i]!.title}`).join(' and ')}: not the few seconds issue 15 asks for. On Fashion-MNIST the aligned stage is most of it (BENCHMARKS "duplicates": the stage as the app runs it); on both, the label noise's linear probe is most of step 4 below.

Steps of one representative run:

${head}
${stepNames.map((name, s) => `| ${name} | ${results.map((r) => r.steps[s]).join(' | ')} |`).join('\n')}

Peak RSS of the bench: ${peakRssMiB().toFixed(0)} MiB.

The representative run ends with its prototype swaps (core/curate/engine/modes/prototype-swaps.ts; BENCHMARKS "curate: representative, three readings" for what they buy): most of their cost is the pool's similarity to every pick (10,000 × 1,000 in each of the two spaces) and each pick's candidates against the pool rows near it. Stop 40 measured them at about 1.1 s of the job at N = 1,000 (4.33 / 4.50 s with them, 3.23 / 3.34 s before). Stop 43 gave them a third pass (issue 15 item 5: the embedding counted twice, 40 candidates, look weight 0.5): 4.68 / 4.72 s in its run of this bench, where the steps the change did not touch (1–4) also ran 5–10 % slower than at stop 40; the picking step alone, back to back with the stop-40 rule on this machine (scratch, median of 3, one thread), 2.7 → 3.4 s on MNIST and 3.1 → 3.7 s on Fashion-MNIST.

The first scoring, stop 44 (issue 15's "a few seconds"): the near-duplicate search now starts before the linear probe where the vectors are at most 512 MiB (core/curate/score-store.ts), so the probe runs beside the search instead of ahead of it, and a warped pixel comparison of the aligned stage keeps the rows it interpolated while the image, x scale and offset stay the same (engine/aligned-pixels.ts: the same distances to the last bit, checked against the previous code on 55,500 comparisons of real images; the groups of both sets unchanged). The tree before and after, alternating, three rounds (scratch, a first scoring as this bench runs it): MNIST 8.05 / 7.85 / 8.12 → 7.15 / 7.25 / 7.40 s, Fashion-MNIST 18.80 / 18.66 / 19.32 → 17.38 / 17.88 / 18.03 s (−9 % and −6 %); the search's early start alone, two rounds, 0.4–0.9 s of it. The run above is quieter than stop 43's (steps 1–5, which neither change touches, ran 10–20 % faster), so compare the A/B, not the two runs.
`;
writeSection('curate (project end to end: MNIST, Fashion-MNIST)', `npx tsx bench/curate-project.ts${args.map((a) => ` ${a}`).join('')}`, body);
log(body);
