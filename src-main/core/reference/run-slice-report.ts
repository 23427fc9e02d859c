// The slice-report job: how representative a slice is of the pool and, given a reference folder,
// of the reference (engine/representativeness.ts), plus where the reference sits on the map.
import type { JobParams } from '../../../src-shared/contract/job-map';
import { MAX_REFERENCE_POINTS, type ReferencePoints, type SliceReport } from '../../../src-shared/model/reference';
import { RpcError } from '../../../src-shared/rpc/errors';
import { createRng, sampleIndices } from '../../../src-shared/random';
import type { Catalog } from '../catalog/catalog';
import { CurateError } from '../curate/engine/errors';
import { estimateReferenceClasses, representativeness } from '../curate/engine/representativeness';
import { poolClusters } from '../curate/engine/target-match';
import { gatherRows, targetSpace } from '../curate/engine/target-space';
import type { EmbeddingStore } from '../embed/embedding-store';
import type { JobContext } from '../jobs/job-manager';
import type { MapStore } from '../map/map-store';
import type { SliceStore } from '../slices/slice-store';
import { embedReference, type EmbeddedReference } from './embed-reference';
import { loadPool, referenceClassCodes } from './pool';
import { targetClusters } from './run-validation-set';

export async function runSliceReport(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, slices: SliceStore, params: JobParams<'slice-report'>, ctx: JobContext): Promise<SliceReport> {
  const t0 = performance.now();
  const seed = params.seed ?? 0;
  const slice = slices.resolve(params.slice);
  const pool = loadPool(catalog, embeddings);
  const rowOf = new Map<number, number>();
  pool.ids.forEach((id, i) => rowOf.set(id, i));
  const members = slices.members(slice.id);
  const rows = members.map((m) => rowOf.get(m.sampleId)).filter((r): r is number => r !== undefined);
  const warnings: string[] = [];
  if (rows.length < members.length) warnings.push(`${members.length - rows.length} of the slice's ${members.length} samples are excluded or have no vector in the active embedding set; they are left out`);
  if (rows.length === 0) throw new RpcError('bad_request', `slice "${slice.name}" v${slice.version} has no samples in the pool (embedded, not excluded)`);

  let ref: EmbeddedReference | null = null;
  if (params.reference !== undefined) ref = await embedReference(catalog, embeddings, params.reference, { model: params.model, signal: ctx.signal, progress: (d, t, m) => ctx.progress(d, t + 1, m) });
  const total = (ref?.summary.images ?? 0) + 1;
  ctx.progress(total - 1, total, 'measuring');
  // Without a reference, a sample of the pool stands in for it (only the MMD to the pool is reported).
  const stand = ref ? ref.vectors : gatherRows(pool.vectors, pool.dim, sampleIndices(pool.ids.length, Math.min(pool.ids.length, 2000), createRng(seed)));
  let report;
  let nearest: Int32Array | null = null;
  try {
    const space = targetSpace(pool.vectors, stand, pool.dim, { seed });
    const clusters = poolClusters(space, targetClusters(pool.ids.length), seed);
    const labelled = pool.classNames.length > 0;
    let counts: number[] | undefined;
    if (ref) {
      const est = estimateReferenceClasses(space, labelled ? pool.labels : undefined, pool.classNames.length, referenceClassCodes(pool, ref.labels));
      nearest = est.nearest;
      counts = est.counts ?? undefined;
    }
    report = representativeness({
      space, clusters, hasReference: !!ref, seed,
      ...(labelled ? { labels: pool.labels, numClasses: pool.classNames.length } : {}),
      ...(counts ? { referenceClassCounts: counts } : {}),
    }, rows);
  } catch (err) {
    if (err instanceof CurateError) throw new RpcError('bad_request', err.message);
    throw err;
  }
  ctx.progress(total, total, 'done');
  return {
    slice, size: rows.length, poolSize: pool.ids.length,
    classMix: report.classMix?.map((c) => ({ label: c.class < 0 ? null : pool.classNames[c.class]!, slice: c.slice, pool: c.pool, reference: c.reference })) ?? null,
    coverage: report.coverage,
    mmdToReference: report.mmdToReference, randomMmdToReference: report.randomMmdToReference,
    mmdToPool: report.mmdToPool, randomMmdToPool: report.randomMmdToPool,
    reference: ref?.summary ?? null,
    referencePoints: nearest ? referencePoints(maps, pool.ids, nearest, seed) : null,
    warnings, seconds: (performance.now() - t0) / 1000,
  };
}

/** Each reference image at the map position of its nearest pool sample (a sample of them when there are many). */
function referencePoints(maps: MapStore, poolIds: Int32Array, nearest: Int32Array, seed: number): ReferencePoints | null {
  const map = maps.latest();
  if (!map) return null;
  const at = new Map<number, number>();
  map.data.ids.forEach((id, i) => at.set(id, i));
  const pick = nearest.length <= MAX_REFERENCE_POINTS ? Int32Array.from(nearest.keys()) : sampleIndices(nearest.length, MAX_REFERENCE_POINTS, createRng(seed)).sort();
  const out: ReferencePoints = { mapId: map.data.mapId, x: [], y: [], nearestIds: [] };
  for (const r of pick) {
    const id = poolIds[nearest[r]!]!;
    const i = at.get(id);
    if (i === undefined) continue;
    out.x.push(map.data.x[i]!);
    out.y.push(map.data.y[i]!);
    out.nearestIds.push(id);
  }
  return out;
}
