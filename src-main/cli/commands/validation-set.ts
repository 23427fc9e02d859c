import { validationSetParams } from '../../../src-shared/contract/reference';
import { resolveRoot } from '../../core/import/import-folder';
import { openProject } from '../open-project';
import { printResult, progressPrinter } from '../output';
import { numberFlag, parseFlags } from '../flags';
import { runJobToEnd } from '../run-job';
import { mmdLine } from './report';

export const usage = 'winnow validation-set --project FILE --reference DIR --n N --name SLICE [--method herding|quotas] [--class-balance reference|none] [--seed S] [--model M] [--json]';

export async function runValidationSetCommand(opts: { project?: string; reference?: string; n?: string; name?: string; method?: string; classBalance?: string; seed?: string; model?: string; json: boolean }): Promise<void> {
  const params = parseFlags(validationSetParams, {
    reference: opts.reference, n: numberFlag(opts.n), name: opts.name, method: opts.method, classBalance: opts.classBalance, seed: numberFlag(opts.seed), model: opts.model,
  });
  const bar = progressPrinter('validation set');
  const project = openProject(opts.project, { events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  try {
    project.embeddings.requireActive();
    resolveRoot(params.reference);
  } catch (err) {
    await project.close();
    throw err;
  }
  const r = await runJobToEnd(project, 'validation-set', project.startValidationSet(params), 'validation set');
  await project.close();
  printResult(opts.json, r, () => [
    `slice "${r.slice.name}" version ${r.slice.version}: ${r.slice.size} samples picked toward ${r.reference.images} reference images in ${r.reference.root} (${r.method}, seed ${r.slice.seed}) in ${r.seconds.toFixed(1)} s`,
    mmdLine('MMD to the reference', r.mmd, r.randomMmd),
    ...(r.classQuota ? [`classes: ${r.classQuota.map((q) => `${q.label ?? '(unlabelled)'} ${q.count}`).join(', ')}`] : []),
    ...(r.reference.failedCount ? [`${r.reference.failedCount} reference files could not be embedded (first: ${r.reference.failed[0]?.path}: ${r.reference.failed[0]?.reason})`] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n'));
}
