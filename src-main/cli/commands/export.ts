import { exportSamples, parseSliceRef, selectSamples, type ExportOptions, type ExportSource, type ExportSummary } from '../../core/export';
import { JobManager } from '../../core/jobs/job-manager';
import { jobStoreFor, openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';

export const usage = 'winnow export --project FILE (--slice NAME[@VERSION] | --query QUERY | --all) --out DIR [--layout imagefolder|flat] [--split 0.8 [--seed N]] [--merge | --replace] [--hardlink] [--json]';

export interface ExportCliOptions {
  project?: string;
  slice?: string;
  query?: string;
  all?: boolean;
  out?: string;
  layout?: string;
  split?: string;
  seed?: string;
  merge?: boolean;
  replace?: boolean;
  hardlink?: boolean;
  json: boolean;
}

export async function runExport(positionals: string[], opts: ExportCliOptions): Promise<void> {
  if (positionals.length) throw new CliError(`unexpected argument "${positionals[0]}"; usage: ${usage}`);
  const sources = [opts.slice !== undefined, opts.query !== undefined, !!opts.all].filter(Boolean).length;
  if (sources !== 1) throw new CliError('choose what to export with exactly one of --slice NAME, --query QUERY or --all');
  if (!opts.out) throw new CliError('--out DIR is required');
  const layout = opts.layout ?? 'imagefolder';
  if (layout !== 'imagefolder' && layout !== 'flat') throw new CliError(`--layout must be imagefolder or flat, not "${layout}"`);
  if (opts.merge && opts.replace) throw new CliError('--merge and --replace cannot be used together');
  if (opts.seed !== undefined && opts.split === undefined) throw new CliError('--seed only makes sense with --split');
  let split: ExportOptions['split'];
  if (opts.split !== undefined) {
    const ratio = Number(opts.split);
    if (!(ratio > 0 && ratio < 1)) throw new CliError(`--split must be a fraction between 0 and 1 (the share that goes to train), not "${opts.split}"`);
    const seed = opts.seed === undefined ? 0 : Number(opts.seed);
    if (!Number.isSafeInteger(seed)) throw new CliError(`--seed must be an integer, not "${opts.seed}"`);
    split = { ratio, seed };
  }
  let source: ExportSource;
  if (opts.slice !== undefined) source = { kind: 'slice', ...parseSliceRef(opts.slice) };
  else if (opts.query !== undefined) source = { kind: 'query', name: opts.query };
  else source = { kind: 'all' };

  const project = openProject(opts.project, { access: 'read' });
  const bar = progressPrinter('export');
  let summary: ExportSummary;
  try {
    const sampleIds = selectSamples(project.catalog, source);
    if (sampleIds.length === 0) throw new CliError(`nothing to export: the ${source.kind === 'all' ? 'project' : source.kind} selects no samples`);
    const options: ExportOptions = { sampleIds, out: opts.out, layout, split, mode: opts.merge ? 'merge' : opts.replace ? 'replace' : 'new', link: opts.hardlink ? 'hardlink' : 'copy', source };
    const jobs = new JobManager(jobStoreFor(project), { export: (_params, ctx) => exportSamples(project.catalog, options, ctx) }, { progress: (p) => bar.update(p), finished: () => bar.done() });
    // The job row keeps what was asked, not the (possibly huge) id list.
    const jobId = jobs.start('export', { ...options, sampleIds: undefined, count: sampleIds.length });
    const cancel = () => jobs.cancel(jobId);
    process.once('SIGINT', cancel);
    const job = await jobs.wait(jobId);
    process.off('SIGINT', cancel);
    if (job.state === 'cancelled') throw new CliError('export cancelled; run the same command again to finish it (finished files are kept)', 130);
    if (job.state !== 'done') throw new CliError(`export failed: ${job.error ?? job.state}`);
    summary = job.result as ExportSummary;
  } finally {
    await project.close();
  }
  printResult(opts.json, summary, () => {
    const how = [summary.copied && `${summary.copied} copied`, summary.linked && `${summary.linked} hard-linked`, summary.encoded && `${summary.encoded} written as PNG`,
      summary.resumedFiles && `${summary.resumedFiles} kept from the interrupted run`, summary.unchanged && `${summary.unchanged} already there`].filter(Boolean).join(', ');
    const lines = [summary.alreadyComplete ? `${summary.out} already holds this export (${summary.exported} files)` : `exported ${summary.exported} of ${summary.requested} samples to ${summary.out}${how ? ` (${how})` : ''}`];
    if (summary.bySplit) lines.push(`split: ${Object.entries(summary.bySplit).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const r of summary.folderRenames.filter((r) => r.why !== 'unlabelled')) lines.push(`label ${JSON.stringify(r.label)} went to folder "${r.folder}" (${r.why === 'unsafe' ? 'not a safe folder name' : 'another label has that folder name'})`);
    if (summary.fileRenames) lines.push(`${summary.fileRenames} file(s) were renamed to avoid clashes (see manifest.csv, column renamed)`);
    for (const w of summary.warnings) lines.push(`warning: ${w}`);
    if (summary.problems.length) lines.push(`${summary.problems.length} problem(s):`, ...summary.problems.slice(0, 20).map((p) => `  sample ${p.sampleId} ${p.sourcePath}: ${p.reason}`), ...(summary.problems.length > 20 ? ['  … (all in manifest.json)'] : []));
    return lines.join('\n');
  });
}
