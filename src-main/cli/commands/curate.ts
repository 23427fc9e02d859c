import { curateParams } from '../../../src-shared/contract/curate';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';
import { numberFlag, parseFlags } from '../flags';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow curate --project FILE --mode representative|edge-cases|mislabeled|custom --n N --name SLICE [--by FIELD] [--weights sparseness=1,noise=0,class=0,feature=0] [--seed S] [--appearance-weight W] [--edges rare|ambiguous|both] [--json]';

export async function runCurateCommand(opts: { project?: string; mode?: string; n?: string; name?: string; by?: string; weights?: string; seed?: string; appearanceWeight?: string; edges?: string; json: boolean }): Promise<void> {
  const params = parseFlags(curateParams, {
    mode: opts.mode, n: numberFlag(opts.n), name: opts.name, by: opts.by, seed: numberFlag(opts.seed),
    weights: opts.weights === undefined ? undefined : parseWeights(opts.weights), appearanceWeight: numberFlag(opts.appearanceWeight),
    edges: opts.edges,
  });
  const bar = progressPrinter('curate');
  const project = openProject(opts.project, { events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  project.maps.requireId();
  const r = await runJobToEnd(project, 'curate', project.startCurate(params));
  await project.close();
  printResult(opts.json, r, () => [
    `slice "${r.slice.name}" version ${r.slice.version}: ${r.picks.length} samples (${r.slice.mode}, seed ${r.slice.seed}) in ${r.seconds.toFixed(1)} s`,
    ...r.warnings.map((w) => `warning: ${w}`),
    ...r.picks.slice(0, 30).map((p) => `  #${p.id} ${p.label ?? '(unlabelled)'} ${p.path} — ${p.reason}`),
    ...(r.picks.length > 30 ? [`  … ${r.picks.length - 30} more (use --json for all)`] : []),
  ].join('\n'));
}

/** `sparseness=1,noise=0` → an object for the schema, which checks the numbers. */
function parseWeights(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    if (!k || v === undefined) throw new CliError(`--weights: "${part}" is not name=value`);
    if (!['sparseness', 'noise', 'class', 'feature'].includes(k.trim())) throw new CliError(`--weights: unknown criterion "${k}" (sparseness, noise, class, feature)`);
    out[k.trim()] = Number(v);
  }
  return out;
}
