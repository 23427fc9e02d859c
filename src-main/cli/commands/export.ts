import { exportParams } from '../../../src-shared/contract/export';
import { numberFlag, parseFlags } from '../flags';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';
import { runJobToEnd } from '../run-job';

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

/** The same export job the app starts (the session's export runner), so `jobs.resume` can finish it. */
export async function runExport(positionals: string[], opts: ExportCliOptions): Promise<void> {
  if (positionals.length) throw new CliError(`unexpected argument "${positionals[0]}"; usage: ${usage}`);
  const sources = [opts.slice !== undefined, opts.query !== undefined, !!opts.all].filter(Boolean).length;
  if (sources !== 1) throw new CliError('choose what to export with exactly one of --slice NAME, --query QUERY or --all');
  if (!opts.out) throw new CliError('--out DIR is required');
  if (opts.merge && opts.replace) throw new CliError('--merge and --replace cannot be used together');
  if (opts.seed !== undefined && opts.split === undefined) throw new CliError('--seed only makes sense with --split');
  const source = opts.slice !== undefined ? { kind: 'slice', ref: opts.slice } : opts.query !== undefined ? { kind: 'query', query: opts.query } : { kind: 'all' };
  const params = parseFlags(exportParams, {
    source, out: opts.out, layout: opts.layout,
    split: opts.split === undefined ? undefined : { ratio: numberFlag(opts.split), seed: numberFlag(opts.seed) ?? 0 },
    mode: opts.merge ? 'merge' : opts.replace ? 'replace' : 'new', link: opts.hardlink ? 'hardlink' : 'copy',
  }, { 'source.ref': 'slice', 'source.query': 'query', 'split.ratio': 'split', 'split.seed': 'seed' });

  const bar = progressPrinter('export');
  // Export only reads the project: it works beside another Winnow that owns it, or on a file it cannot write.
  const project = openProject(opts.project, { access: 'read', events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  const summary = await runJobToEnd(project, 'export', project.startExport(params));
  await project.close();
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
