// The map job: the active embedding set's vectors → k-NN graph + 2-D layout (worker threads),
// pushing intermediate layouts as events so the renderer draws the map while it refines.
import type { MapProgress } from '../../../src-shared/model/map';
import type { Catalog } from '../catalog/catalog';
import type { EmbeddingStore } from '../embed/embedding-store';
import type { JobContext } from '../jobs/job-manager';
import { computeMap } from '../map/compute-map';
import { MapStore, splitXY } from './map-store';

export interface MapParams { k?: number; seed?: number; threads?: number }
export interface MapJobResult { mapId: number; setId: number; n: number; k: number; seed: number; timings: Record<string, number> }

const PUSH_EVERY_MS = 400;

export async function runMap(catalog: Catalog, embeddings: EmbeddingStore, params: MapParams, ctx: JobContext, push: (p: MapProgress) => void): Promise<MapJobResult> {
  const set = embeddings.requireActive();
  const table = embeddings.load(set.id);
  const n = table.ids.length;
  const k = Math.max(2, Math.min(params.k ?? 15, n - 1));
  const seed = params.seed ?? 42;
  let lastPush = 0;
  ctx.progress(0, 100, `mapping ${n} samples`);
  const result = await computeMap(table.vectors, table.dim, {
    k, seed, threads: params.threads, signal: ctx.signal,
    onProgress: (positions, epoch, total) => {
      ctx.progress(Math.round(5 + (95 * epoch) / Math.max(1, total)), 100, epoch === 0 ? 'initial layout' : `layout epoch ${epoch} of ${total}`);
      const now = Date.now();
      if (epoch !== 0 && epoch < total && now - lastPush < PUSH_EVERY_MS) return;
      lastPush = now;
      push({ jobId: ctx.jobId, epoch, totalEpochs: total, ids: table.ids, ...splitXY(positions) });
    },
  });
  const mapId = new MapStore(catalog).save(set.id, table.ids, result.positions, result.graph, { k, seed }, result.timings);
  ctx.progress(100, 100, 'map saved');
  return { mapId, setId: set.id, n, k, seed, timings: result.timings };
}
