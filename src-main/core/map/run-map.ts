// The map job: the active embedding set's vectors → k-NN graph + 2-D layout (worker threads),
// pushing intermediate layouts as events so the renderer draws the map while it refines.
import type { JobParams } from '../../../src-shared/contract/job-map';
import { mapParams } from '../../../src-shared/contract/map';
import type { MapJobResult, MapProgress } from '../../../src-shared/model/map';
import type { Catalog } from '../catalog/catalog';
import type { EmbeddingStore, VectorHandOver } from '../embed/embedding-store';
import type { JobContext } from '../jobs/job-manager';
import type { ScoreProgress } from '../curate/score-store';
import { computeMap, DEFAULT_MAP_K } from './compute-map';
import { layoutShare } from './layout';
import { MapStore, splitXY } from './map-store';
import { extendMap, firstNewRow } from './map-update';
import { saveMap } from './save-map-thread';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';


const PUSH_EVERY_MS = 400;
/**
 * Progress (of 100) where each phase begins: the k-NN graph (after the PCA), the layout epochs,
 * the scores. Roughly their shares of the time, so the jobs bar's ETA (from the recent pace)
 * holds: at 70,000 built-in vectors PCA 2 s, k-NN 3.5 s, layout 5 s, scores 3–5 s; at a million
 * 64-d vectors k-NN 91 s, layout 22 s, the first scoring 100 s (BENCHMARKS "map (built-in
 * embedding)", "1M"). Before, the k-NN sat at 5 for its whole time and the layout had 85 of 100.
 */
const GRAPH_AT = 5;
const LAYOUT_AT = 40;
const SCORES_AT = 70;
/** The scores phase's first message, until the scoring reports its own stages (score-store.ts). */
const PHASE_SCORES = 'scores: reading the map, vectors and labels';

/** The map job's progress while the session scores the new map (its last phase, from SCORES_AT on). */
export function scoresProgress(ctx: JobContext): ScoreProgress {
  return (share, message) => ctx.progress(SCORES_AT + share * (100 - SCORES_AT), 100, message);
}

/**
 * The job's answer, and the vectors it mapped: the map's first scoring, which follows in the same
 * job, takes them instead of reading the file (in shared memory, so the scoring thread holds no
 * second copy: a million 544-d vectors are 2.2 GB; handed over, so the job keeps no reference).
 */
export interface MapRun { result: MapJobResult; vectors: VectorHandOver }

export async function runMap(catalog: Catalog, embeddings: EmbeddingStore, params: JobParams<'map'>, ctx: JobContext, push: (p: MapProgress) => void): Promise<MapRun> {
  const set = embeddings.requireActive();
  // shared: the map's worker threads read the vectors in place (computeMap copies any other array)
  const table = await embeddings.loadInTurns(set.id, { shared: true });
  const n = table.ids.length;
  const seed = params.seed ?? 42;
  const indexPath = indexPathFor(catalog.path, set.id);
  const store = new MapStore(catalog);
  // Only the newest map's header: its arrays are read only when the job can extend it.
  const prev = store.latestHeader();
  // The previous map's { k, seed }, as this job stored them.
  const prevParams = prev ? mapParams.safeParse(prev.params).data : undefined;
  const sameParams = (params.k === undefined || params.k === prevParams?.k) && (params.seed === undefined || params.seed === prevParams?.seed)
    && (params.layoutSample === undefined || params.layoutSample === prevParams?.layoutSample);
  if (!params.full && prev && prev.setId === set.id && sameParams && firstNewRow(table.ids, prev.lastId) < n) {
    const t0 = performance.now();
    const update = extendMap(store.get(prev.id), table, indexPath);
    if (update) {
      const timings = { update: performance.now() - t0, total: performance.now() - t0 };
      const mapId = await saveMap(catalog, { setId: set.id, ids: update.ids, positions: update.positions, graph: update.graph, params: prev.params, timings });
      push({ jobId: ctx.jobId, epoch: 1, totalEpochs: 1, ids: update.ids, ...splitXY(update.positions) });
      ctx.progress(SCORES_AT, 100, `${PHASE_SCORES} (added ${update.added} samples to the map)`);
      return { result: { mapId, setId: set.id, n: update.ids.length, k: update.graph.k, seed: prevParams?.seed ?? seed, timings, incremental: true, added: update.added }, vectors: { table } };
    }
  }
  const k = Math.max(2, Math.min(params.k ?? DEFAULT_MAP_K, n - 1));
  mkdirSync(dirname(indexPath), { recursive: true });
  let lastPush = 0;
  const graphMessage = `graph: ${k} nearest neighbours of ${n} samples`;
  ctx.progress(0, 100, `graph: PCA of ${n} samples`);
  const result = await computeMap(table.vectors, table.dim, {
    k, seed, signal: ctx.signal, indexPath, layoutSample: params.layoutSample,
    onGraphProgress: (share) => ctx.progress(GRAPH_AT + share * (LAYOUT_AT - GRAPH_AT), 100, graphMessage),
    onProgress: (positions, epoch, total, phase) => {
      // Epoch 0 is the PCA preview, drawn while the k-NN graph is built. The message names the
      // layout's part with its own count (the t-SNE steps run at another pace than the epochs).
      const layoutMessage = phase ? `layout: ${phase.name === 'epochs' ? 'epoch' : 't-SNE step'} ${phase.done} of ${phase.of}` : `layout: epoch ${epoch} of ${total}`;
      ctx.progress(epoch === 0 ? GRAPH_AT : LAYOUT_AT + (SCORES_AT - LAYOUT_AT) * layoutShare(epoch, total, phase), 100, epoch === 0 ? graphMessage : layoutMessage);
      const now = Date.now();
      if (epoch !== 0 && epoch < total && now - lastPush < PUSH_EVERY_MS) return;
      lastPush = now;
      push({ jobId: ctx.jobId, epoch, totalEpochs: total, ids: table.ids, ...splitXY(positions) });
    },
  });
  const stored = params.layoutSample === undefined ? { k, seed } : { k, seed, layoutSample: params.layoutSample };
  const mapId = await saveMap(catalog, { setId: set.id, ids: table.ids, positions: result.positions, graph: result.graph, params: stored, timings: result.timings });
  // The job goes on to score the map (project-session's rescore); say so until it ends.
  ctx.progress(SCORES_AT, 100, PHASE_SCORES);
  return { result: { mapId, setId: set.id, n, k, seed, timings: result.timings, incremental: false, added: n, laidOut: result.laidOut }, vectors: { table } };
}

/** The k-NN index of an embedding set lives beside the project file. */
export function indexPathFor(projectPath: string, setId: number): string {
  return `${projectPath}.index/set-${setId}.knn`;
}
