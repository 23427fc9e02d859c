import { exportLabels } from '../../core/export';
import { openProject } from '../open-project';
import { CliError, printResult } from '../output';

export const usage = 'winnow export-labels --project FILE --out labels.csv [--replace] [--json]';

export async function runExportLabels(positionals: string[], opts: { project?: string; out?: string; replace?: boolean; json: boolean }): Promise<void> {
  if (positionals.length) throw new CliError(`unexpected argument "${positionals[0]}"; usage: ${usage}`);
  if (!opts.out) throw new CliError('--out FILE is required');
  // Only reads the catalog: works while the app has the project open (the review summary shows this command).
  const project = openProject(opts.project, { access: 'read' });
  try {
    const summary = exportLabels(project.catalog, { out: opts.out, replace: opts.replace });
    printResult(opts.json, summary, () => `wrote ${summary.rows} corrected label(s) to ${summary.out}${summary.datasets.length > 1 ? ` from ${summary.datasets.length} datasets` : ''}`);
  } finally {
    await project.close();
  }
}
