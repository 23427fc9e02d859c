import { curateParams } from '../../../src-shared/contract/curate';
import type { CurateJobResult } from '../../../src-shared/model/slice';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow curate --project FILE --mode representative|edge-cases|mislabeled|custom --n N --name SLICE [--by FIELD] [--weights sparseness=1,noise=0,class=0,feature=0] [--seed S] [--appearance-weight W] [--json]';

export async function runCurateCommand(opts: { project?: string; mode?: string; n?: string; name?: string; by?: string; weights?: string; seed?: string; appearanceWeight?: string; json: boolean }): Promise<void> {
  const parsed = curateParams.safeParse({
    mode: opts.mode, n: opts.n === undefined ? undefined : Number(opts.n), name: opts.name, by: opts.by,
    seed: opts.seed === undefined ? undefined : Number(opts.seed), weights: opts.weights === undefined ? undefined : parseWeights(opts.weights),
    appearanceWeight: opts.appearanceWeight === undefined ? undefined : Number(opts.appearanceWeight),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`--${flagName(String(issue.path[0] ?? 'arguments'))}: ${issue.message}`);
  }
  const bar = progressPrinter('curate');
  const project = openProject(opts.project, { events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  project.maps.require();
  const job = await runJobToEnd(project, project.startCurate(parsed.data), 'curate');
  await project.close();
  const r = job.result as CurateJobResult;
  printResult(opts.json, r, () => [
    `slice "${r.slice.name}" version ${r.slice.version}: ${r.picks.length} samples (${r.slice.mode}, seed ${r.slice.seed}) in ${r.seconds.toFixed(1)} s`,
    ...r.warnings.map((w) => `warning: ${w}`),
    ...r.picks.slice(0, 30).map((p) => `  #${p.id} ${p.label ?? '(unlabelled)'} ${p.path} — ${p.reason}`),
    ...(r.picks.length > 30 ? [`  … ${r.picks.length - 30} more (use --json for all)`] : []),
  ].join('\n'));
}

function parseWeights(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    if (!k || v === undefined) throw new CliError(`--weights: "${part}" is not name=value`);
    if (!['sparseness', 'noise', 'class', 'feature'].includes(k.trim())) throw new CliError(`--weights: unknown criterion "${k}" (sparseness, noise, class, feature)`);
    const num = Number(v);
    if (!Number.isFinite(num) || num < 0) throw new CliError(`--weights: ${k} must be a number ≥ 0, not "${v}"`);
    out[k.trim()] = num;
  }
  return out;
}

/** The command-line spelling of a contract field (appearanceWeight → appearance-weight). */
function flagName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
