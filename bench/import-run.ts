// One folder import in a fresh process, with the Winnow code found under CODE_ROOT: lets
// bench/import.ts time this tree against an older checkout on the same folder.
//   npx tsx bench/import-run.ts CODE_ROOT FOLDER PROJECT
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [codeRoot, folder, projectFile] = process.argv.slice(2);
if (!codeRoot || !folder || !projectFile) throw new Error('usage: import-run.ts CODE_ROOT FOLDER PROJECT');
const { ProjectSession } = (await import(pathToFileURL(join(codeRoot, 'src-main/core/project-session.ts')).href)) as typeof import('../src-main/core/project-session');
const project = ProjectSession.create(projectFile, { progress: () => {}, finished: () => {} });
/** CPU seconds of the main thread alone (Linux: its /proc task entry), or null elsewhere. */
const mainThreadCpu = (): number | null => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
};
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const main0 = mainThreadCpu();
const job = await project.jobs.wait(project.startImport({ kind: 'folder', path: folder }));
const seconds = (performance.now() - t0) / 1000;
// CPU time of the whole process (decode worker threads included): far less sensitive than wall
// time to other work on a shared machine.
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// The main thread inserts every row: the one part that does not spread over cores.
const main1 = mainThreadCpu();
const mainCpuSeconds = main0 === null || main1 === null ? null : main1 - main0;
if (job.state !== 'done') throw new Error(job.error ?? job.state);
const result = job.result as { added: number; failed: unknown[]; failedCount?: number };
await project.close();
// maxRSS covers the decode worker threads too: they live in this process.
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, mainCpuSeconds, added: result.added, failed: result.failedCount ?? result.failed.length, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
