import { parseRatios, splitsContract } from '../../../src-shared/contract/splits';
import { makeSplit } from '../../core/splits/make-split';
import { numberFlag, parseFlags } from '../flags';
import { openProject } from '../open-project';
import { CliError, printResult } from '../output';

export const usage = 'winnow split --project FILE --ratios train=0.8,val=0.2 [--seed S] [--group-by FIELD] [--json]   (leak-free, stratified; undoable)';

export async function runSplit(opts: { project?: string; ratios?: string; seed?: string; groupBy?: string; json: boolean }): Promise<void> {
  if (opts.ratios === undefined) throw new CliError('--ratios is required, e.g. --ratios train=0.8,val=0.2');
  const params = parseFlags(splitsContract['splits.make'].args, { shares: shares(opts.ratios), seed: numberFlag(opts.seed), groupBy: opts.groupBy }, { shares: 'ratios' });
  const project = openProject(opts.project);
  try {
    const r = await makeSplit(project.catalog, project.labels, params);
    printResult(opts.json, r, () => [
      r.edit.editId === null ? 'the split is already so: nothing changed' : `${r.edit.description} — undo with the app's Undo (labels.undo)`,
      ...r.parts.map((p) => `  ${p.name}: ${p.samples} (${Object.entries(p.byClass).map(([c, n]) => `${c} ${n}`).join(', ')})`),
      `${r.groups} duplicate${params.groupBy ? ` and ${params.groupBy}` : ''} groups kept on one side; leak pairs left: ${r.leaksAfter}; largest class deviation from the ratios: ${r.maxClassDeviation.toFixed(2)}`,
    ].join('\n'));
  } finally {
    await project.close();
  }
}

function shares(text: string): Array<{ name: string; ratio: number }> {
  try {
    return parseRatios(text);
  } catch (err) {
    throw new CliError(`--ratios: ${(err as Error).message}`);
  }
}
