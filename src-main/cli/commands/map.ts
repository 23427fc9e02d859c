import { mapParams } from '../../../src-shared/contract/map';
import { numberFlag, parseFlags } from '../flags';
import { openProject } from '../open-project';
import { printResult, progressPrinter } from '../output';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow map --project FILE [--k 15] [--seed S] [--full] [--layout-sample N|0] [--json]';

export async function runMapCommand(opts: { project?: string; k?: string; seed?: string; full?: boolean; layoutSample?: string; json: boolean }): Promise<void> {
  const params = parseFlags(mapParams, { k: numberFlag(opts.k), seed: numberFlag(opts.seed), full: opts.full, layoutSample: numberFlag(opts.layoutSample) });
  const bar = progressPrinter('map');
  const project = openProject(opts.project, { events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  project.embeddings.requireActive();
  const r = await runJobToEnd(project, 'map', project.startMap(params));
  await project.close();
  const t = r.timings;
  if (r.incremental) return printResult(opts.json, r, () => `map ${r.mapId}: added ${r.added} new samples to the existing layout (${r.n} in all); --full lays everything out again`);
  const sampled = r.laidOut !== undefined && r.laidOut < r.n ? ` (${r.laidOut} laid out, the rest placed by their neighbours)` : '';
  printResult(opts.json, r, () => `map ${r.mapId}: ${r.n} samples${sampled}, k=${r.k}, seed ${r.seed}; ${(t.total! / 1000).toFixed(1)} s (PCA ${((t.pca ?? 0) / 1000).toFixed(1)} s, k-NN ${((t.knn ?? 0) / 1000).toFixed(1)} s, layout ${((t.layout ?? 0) / 1000).toFixed(1)} s)`);
}
