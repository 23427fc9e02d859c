import type { MapJobResult } from '../../core/map/run-map';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow map --project FILE [--k 15] [--seed S] [--full] [--json]';

export async function runMapCommand(opts: { project?: string; k?: string; seed?: string; full?: boolean; json: boolean }): Promise<void> {
  const k = opts.k === undefined ? undefined : Number(opts.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 2 || k > 200)) throw new CliError('--k must be an integer from 2 to 200');
  const seed = opts.seed === undefined ? undefined : Number(opts.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) throw new CliError('--seed must be a non-negative integer');
  const bar = progressPrinter('map');
  const project = openProject(opts.project, { events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  project.embeddings.requireActive();
  const job = await runJobToEnd(project, project.startMap({ k, seed, full: opts.full }), 'map');
  const r = job.result as MapJobResult;
  await project.close();
  const t = r.timings;
  if (r.incremental) return printResult(opts.json, r, () => `map ${r.mapId}: added ${r.added} new samples to the existing layout (${r.n} in all); --full lays everything out again`);
  printResult(opts.json, r, () => `map ${r.mapId}: ${r.n} samples, k=${r.k}, seed ${r.seed}; ${(t.total! / 1000).toFixed(1)} s (PCA ${((t.pca ?? 0) / 1000).toFixed(1)} s, k-NN ${((t.knn ?? 0) / 1000).toFixed(1)} s, layout ${((t.layout ?? 0) / 1000).toFixed(1)} s)`);
}
