import { importSource } from '../../../src-shared/contract/dataset';
import { parseFlags } from '../flags';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow import <folder|mnist> --project FILE [--labels FILE] [--json]';

export async function runImport(positionals: string[], opts: { project?: string; labels?: string; json: boolean }): Promise<void> {
  const what = positionals[0];
  if (!what || positionals.length > 1) throw new CliError(`usage: ${usage}`);
  const source = parseFlags(importSource, what === 'mnist' ? { kind: 'mnist' } : { kind: 'folder', path: what, labelsFile: opts.labels }, { path: 'folder', labelsFile: 'labels' });
  const bar = progressPrinter('import');
  const project = openProject(opts.project, { create: true, events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  const jobId = project.startImport(source);
  const summary = await runJobToEnd(project, 'import', jobId);
  const overview = project.catalog.overview();
  await project.close();
  printResult(opts.json, { jobId, ...summary, total: overview.total }, () => {
    const lines = [`imported ${summary.added} new samples (${summary.skippedExisting} already in the project); project now holds ${overview.total}`];
    if (summary.failed.length) lines.push(`${summary.failed.length} file(s) could not be imported:`, ...summary.failed.map((f) => `  ${f.path}: ${f.reason}`));
    return lines.join('\n');
  });
}
