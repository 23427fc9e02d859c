import { openProject } from '../open-project';
import { printResult } from '../output';

export const usage = 'winnow info --project FILE [--json]';

export async function runInfo(opts: { project?: string; json: boolean }): Promise<void> {
  const project = openProject(opts.project, { access: 'read' });
  const overview = project.catalog.overview();
  const jobs = project.jobStore.list(20);
  await project.close();
  printResult(opts.json, { ...overview, jobs: jobs.map(({ id, kind, state, done, total, error }) => ({ id, kind, state, done, total, error })) }, () => {
    const fmt = (e: { value: string | null; count: number }) => `  ${e.value ?? '(none)'}: ${e.count}`;
    return [
      `project ${overview.projectPath}`,
      `${overview.total} samples in ${overview.datasets.length} dataset(s)${overview.failedCount ? `, ${overview.failedCount} file(s) failed to import` : ''}`,
      ...overview.datasets.map((d) => `  [${d.id}] ${d.name} (${d.kind}${d.root ? `, ${d.root}` : ''}): ${d.sampleCount}`),
      'by label:', ...overview.byLabel.map(fmt),
      'by split:', ...overview.bySplit.map(fmt),
      `metadata fields: ${overview.metadataFields.join(', ') || 'none'}`,
    ].join('\n');
  });
}
