import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { importSource } from '../../../src-shared/contract/dataset';
import { csvLine } from '../../core/export/csv-write';
import { allFailures } from '../../core/import/failures';
import { numberFlag, parseFlags } from '../flags';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow import <folder|mnist|fashion-mnist> --project FILE [--labels FILE] [--max-megapixels N] [--decode-timeout SECONDS] [--failures-out FILE] [--json]';

/** Failures printed in the human report; the rest go to --failures-out. */
const SHOWN = 20;

export interface ImportCliOptions {
  project?: string;
  labels?: string;
  maxMegapixels?: string;
  decodeTimeout?: string;
  failuresOut?: string;
  json: boolean;
}

export async function runImport(positionals: string[], opts: ImportCliOptions): Promise<void> {
  const what = positionals[0];
  if (!what || positionals.length > 1) throw new CliError(`usage: ${usage}`);
  // The demo sets' names (a folder of that name: ./mnist).
  const demo = what === 'mnist' || what === 'fashion-mnist' ? what : undefined;
  if (demo && (opts.maxMegapixels !== undefined || opts.decodeTimeout !== undefined || opts.labels !== undefined)) throw new CliError('--labels, --max-megapixels and --decode-timeout apply to folder imports only');
  const source = parseFlags(importSource, demo ? { kind: demo } : {
    kind: 'folder', path: what, labelsFile: opts.labels, maxMegapixels: numberFlag(opts.maxMegapixels), decodeTimeoutSeconds: numberFlag(opts.decodeTimeout),
  }, { path: 'folder', labelsFile: 'labels', decodeTimeoutSeconds: 'decode-timeout' });
  const bar = progressPrinter('import');
  const project = openProject(opts.project, { create: true, events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  const jobId = project.startImport(source);
  const summary = await runJobToEnd(project, 'import', jobId);
  let failuresFile: string | undefined;
  let total: number;
  try {
    total = project.catalog.overview().total;
    if (opts.failuresOut) failuresFile = writeFailures(opts.failuresOut, allFailures(project.catalog, jobId));
  } finally {
    await project.close();
  }
  const failedCount = summary.failedCount ?? summary.failed.length;
  printResult(opts.json, { jobId, ...summary, total, failuresFile }, () => {
    const lines = [`imported ${summary.added} new samples (${summary.skippedExisting} already in the project); project now holds ${total}`];
    if (failedCount) {
      lines.push(`${failedCount} file(s) could not be imported:`, ...summary.failed.slice(0, SHOWN).map((f) => `  ${f.path}: ${f.reason}`));
      if (failedCount > SHOWN) lines.push(failuresFile ? `  … ${failedCount - SHOWN} more` : `  … ${failedCount - SHOWN} more (list them all with --failures-out FILE)`);
    }
    if (failuresFile) lines.push(`all ${failedCount} failure(s) written to ${failuresFile}`);
    return lines.join('\n');
  });
}

/** CSV of path,reason (formula cells neutralised), written whole or not at all. */
function writeFailures(file: string, rows: Iterable<{ path: string; reason: string }>): string {
  const out = resolve(file);
  const tmp = join(dirname(out), `.${basename(out)}.winnow-tmp-${process.pid}`);
  try {
    const parts = [csvLine(['path', 'reason'])];
    for (const r of rows) parts.push(csvLine([r.path, r.reason]));
    writeFileSync(tmp, parts.join(''));
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return out;
}
