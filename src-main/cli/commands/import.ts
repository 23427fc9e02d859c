import type { ImportSource } from '../../../src-shared/contract/dataset';
import type { ImportSummary } from '../../../src-shared/model/import';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';

export const usage = 'winnow import <folder|mnist> --project FILE [--labels FILE] [--json]';

export async function runImport(positionals: string[], opts: { project?: string; labels?: string; json: boolean }): Promise<void> {
  const what = positionals[0];
  if (!what || positionals.length > 1) throw new CliError(`usage: ${usage}`);
  const source: ImportSource = what === 'mnist' ? { kind: 'mnist' } : { kind: 'folder', path: what, labelsFile: opts.labels };
  const bar = progressPrinter('import');
  const project = openProject(opts.project, { create: true, events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  const jobId = project.startImport(source);
  const cancel = () => project.jobs.cancel(jobId);
  process.once('SIGINT', cancel);
  const job = await project.jobs.wait(jobId);
  process.off('SIGINT', cancel);
  const overview = project.catalog.overview();
  await project.close();
  if (job.state === 'cancelled') throw new CliError('import cancelled; run the same command again to finish it', 130);
  if (job.state !== 'done') throw new CliError(`import failed: ${job.error ?? job.state}`);
  const summary = job.result as ImportSummary;
  printResult(opts.json, { jobId, ...summary, total: overview.total }, () => {
    const lines = [`imported ${summary.added} new samples (${summary.skippedExisting} already in the project); project now holds ${overview.total}`];
    if (summary.failed.length) lines.push(`${summary.failed.length} file(s) could not be imported:`, ...summary.failed.map((f) => `  ${f.path}: ${f.reason}`));
    return lines.join('\n');
  });
}
