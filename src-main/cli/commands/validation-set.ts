import { validationSetParams } from '../../../src-shared/contract/reference';
import { resolveRoot } from '../../core/import/import-folder';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';
import { numberFlag, parseFlags } from '../flags';
import { runJobToEnd } from '../run-job';
import { mmdLine } from './report';

export const usage = 'winnow validation-set --project FILE (--reference DIR | --match FIELD=VALUE:SHARE,…) --n N --name SLICE [--method herding|quotas] [--class-balance reference|none] [--seed S] [--model M] [--json]';

export async function runValidationSetCommand(opts: { project?: string; reference?: string; match?: string; n?: string; name?: string; method?: string; classBalance?: string; seed?: string; model?: string; json: boolean }): Promise<void> {
  const params = parseFlags(validationSetParams, {
    reference: opts.reference, match: opts.match === undefined ? undefined : parseMatch(opts.match), n: numberFlag(opts.n), name: opts.name, method: opts.method, classBalance: opts.classBalance, seed: numberFlag(opts.seed), model: opts.model,
  });
  const bar = progressPrinter('validation set');
  const project = openProject(opts.project, { events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  try {
    project.embeddings.requireActive();
    if (params.reference !== undefined) resolveRoot(params.reference);
  } catch (err) {
    await project.close();
    throw err;
  }
  const r = await runJobToEnd(project, 'validation-set', project.startValidationSet(params), 'validation set');
  await project.close();
  const toward = r.reference ? `${r.reference.images} reference images in ${r.reference.root}` : `the ${r.match!.field} distribution`;
  printResult(opts.json, r, () => [
    `slice "${r.slice.name}" version ${r.slice.version}: ${r.slice.size} samples picked toward ${toward} (${r.method}, seed ${r.slice.seed}) in ${r.seconds.toFixed(1)} s`,
    ...(r.mmd !== null ? [mmdLine('MMD to the reference', r.mmd, r.randomMmd!)] : []),
    ...(r.match ? [`${r.match.field}: ${r.match.values.map((v) => `${v.value} ${v.count} (target ${(100 * v.target).toFixed(0)} %)`).join(', ')}`] : []),
    ...(r.classQuota ? [`classes: ${r.classQuota.map((q) => `${q.label ?? '(unlabelled)'} ${q.count}`).join(', ')}`] : []),
    ...(r.reference?.failedCount ? [`${r.reference.failedCount} reference files could not be embedded (first: ${r.reference.failed[0]?.path}: ${r.reference.failed[0]?.reason})`] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n'));
}

/** `camera=A:0.7,B:0.3` → the contract's metadata target (the schema checks the numbers). */
function parseMatch(text: string): { field: string; shares: Record<string, number> } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new CliError('--match: give FIELD=VALUE:SHARE,VALUE:SHARE (e.g. camera=A:0.7,B:0.3)');
  const shares: Record<string, number> = {};
  for (const part of text.slice(eq + 1).split(',')) {
    const colon = part.lastIndexOf(':');
    if (colon <= 0) throw new CliError(`--match: "${part}" is not VALUE:SHARE`);
    shares[part.slice(0, colon)] = Number(part.slice(colon + 1));
  }
  return { field: text.slice(0, eq), shares };
}
