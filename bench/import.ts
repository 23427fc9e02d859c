// Import speed: the MNIST demo (70,000 digits from the npm package) and a folder of 10,000
// PNG files in class sub-folders (decoded and thumbnailed in worker threads).
//   npx tsx bench/import.ts [--files 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportSummary } from '../src-shared/model/import';
import type { JobEvents } from '../src-main/core/jobs/job-manager';
import { ProjectSession } from '../src-main/core/project-session';
import { FIXTURE_CLASSES, makeFixtureFolder } from '../src-main/testing/fixture-images';
import { peakRssMiB, writeSection } from './lib/report';

const { values } = parseArgs({ options: { files: { type: 'string', default: '10000' } } });
const FILES = Number(values.files);
const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-import-'));

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
| MNIST demo import (IDX → SQLite, pixels + hashes) | ${mnist.summary.added.toLocaleString()} | ${mnist.seconds.toFixed(2)} s | ${(mnist.summary.added / mnist.seconds).toFixed(0)} digits/s |
| MNIST re-import (nothing new) | 0 added | ${again.seconds.toFixed(2)} s | |
| PNG folder import (32×32 PNGs in ${FIXTURE_CLASSES.length} class folders; read, SHA-256, decode, 96 px thumbnail, insert) | ${folder.summary.added.toLocaleString()} | ${folder.seconds.toFixed(1)} s | **${rate.toFixed(0)} files/s** |
| same folder re-imported (all skipped) | 0 added | ${reimport.seconds.toFixed(2)} s | |

Peak RSS: ${rssAfterMnist.toFixed(0)} MiB after the MNIST import, ${peakRssMiB().toFixed(0)} MiB at the end (main thread; decode workers share the process).
Writing the ${FILES.toLocaleString()} fixture PNGs took ${writeSeconds.toFixed(1)} s (not counted).
`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
