// The validation-set job: embeds the reference folder, picks N pool samples whose embedding
// distribution matches it (engine/target-match.ts) and stores them as a new slice version, each
// with the reference cluster it stands for.
import type { JobParams } from '../../../src-shared/contract/job-map';
import type { ValidationSetResult } from '../../../src-shared/model/reference';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import { CurateError } from '../curate/engine/errors';
import { matchShares, matchTarget, type TargetMatch } from '../curate/engine/target-match';
import { targetSpace } from '../curate/engine/target-space';
import type { EmbeddingStore } from '../embed/embedding-store';
import type { JobContext } from '../jobs/job-manager';
import type { MapStore } from '../map/map-store';
import type { SliceStore } from '../slices/slice-store';
import { embedReference } from './embed-reference';
import { loadPool, referenceClassCodes, type Pool } from './pool';

/** Pool clusters for the picks' reasons, the quotas method and the report's coverage: about √(n/2), at most 32. */
export function targetClusters(poolSize: number): number {
  return Math.max(2, Math.min(32, Math.round(Math.sqrt(poolSize / 2))));
}

export async function runValidationSet(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, slices: SliceStore, params: JobParams<'validation-set'>, ctx: JobContext): Promise<ValidationSetResult> {
  const t0 = performance.now();
  const seed = params.seed ?? 0;
  const pool = loadPool(catalog, embeddings);
  // Refused before the reference is embedded: nothing to wait for, nothing written.
  if (params.n > pool.ids.length) throw new RpcError('bad_request', `N = ${params.n} is larger than the pool: ${pool.ids.length} samples (embedded, not excluded) can be picked`);
  if (params.match) return matchMetadata(catalog, maps, slices, pool, params, t0, ctx);
  const ref = await embedReference(catalog, embeddings, params.reference!, { model: params.model, signal: ctx.signal, progress: (d, t, m) => ctx.progress(d, t + 2, m) });
  const total = ref.summary.images + 2;
  ctx.progress(total - 2, total, `matching ${params.n} samples to ${ref.summary.images} reference images`);
  let match: TargetMatch;
  try {
    const space = targetSpace(pool.vectors, ref.vectors, pool.dim, { seed });
    match = matchTarget(space, {
      n: params.n, seed, method: params.method ?? 'herding', clusters: targetClusters(pool.ids.length),
      ...(pool.classNames.length ? { labels: pool.labels, numClasses: pool.classNames.length, referenceLabels: referenceClassCodes(pool, ref.labels), classBalance: params.classBalance ?? 'reference' } : {}),
    });
  } catch (err) {
    if (err instanceof CurateError) throw new RpcError('bad_request', err.message);
    throw err;
  }
  ctx.signal.throwIfAborted();
  ctx.progress(total - 1, total, 'saving slice');
  const members = match.picks.map((p) => ({ sampleId: pool.ids[p.index]!, reason: pickReason(match, p.cluster, pool) }));
  const stored = { ...params, reference: ref.summary.root, method: params.method ?? 'herding' };
  const slice = slices.save(params.name, 'target', stored, seed, maps.latestId(), members);
  ctx.progress(total, total, `slice ${slice.name} v${slice.version}`);
  return {
    slice, method: stored.method, reference: ref.summary, mmd: match.mmd, randomMmd: match.randomMmd, match: null,
    classQuota: match.classQuota ? match.classQuota.map((count, c) => ({ label: pool.classNames[c] ?? null, count })).filter((q) => q.count > 0) : null,
    warnings: match.warnings, seconds: (performance.now() - t0) / 1000,
  };
}

function pickReason(match: TargetMatch, c: number, pool: Pool): string {
  const { clusters } = match;
  const m = clusters.referenceAssign.length;
  const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;
  const refShare = clusters.referenceSizes[c]! / m, poolShare = clusters.poolSizes[c]! / pool.ids.length;
  return refShare > 0
    ? `matches reference cluster ${c} (${pct(refShare)} of the reference, ${pct(poolShare)} of the pool)`
    : `fills the reference's distribution near cluster ${c} (${pct(poolShare)} of the pool, none of the reference)`;
}

/** A metadata distribution as the target: shares of a field's values, random inside each value. */
function matchMetadata(catalog: Catalog, maps: MapStore, slices: SliceStore, pool: Pool, params: JobParams<'validation-set'>, t0: number, ctx: JobContext): ValidationSetResult {
  const { field, shares } = params.match!;
  if (!catalog.metadataFields().includes(field)) throw new RpcError('bad_request', `no metadata field "${field}"; fields: ${catalog.metadataFields().join(', ') || 'none'}`);
  const values = Object.keys(shares);
  const codeOf = new Map(values.map((v, g) => [v, g]));
  const column = catalog.metadataColumn(field);
  const at = new Map<number, number>();
  column.ids.forEach((id, i) => at.set(id, i));
  const text = (i: number | undefined): string | null => {
    if (i === undefined) return null;
    if (column.kind === 'numeric') return Number.isNaN(column.values[i]!) ? null : String(column.values[i]);
    const code = column.codes[i]!;
    return code === 0xffff ? null : column.categories[code] ?? null;
  };
  const groups = Int32Array.from(pool.ids, (id) => codeOf.get(text(at.get(id)) ?? '\u0000') ?? -1);
  const missing = values.filter((v, g) => shares[v]! > 0 && !groups.includes(g));
  if (missing.length) throw new RpcError('bad_request', `no sample in the pool has ${field} = ${missing.map((v) => JSON.stringify(v)).join(', ')}`);
  let picked;
  try {
    picked = matchShares(groups, values.map((v) => shares[v]!), params.n, params.seed ?? 0);
  } catch (err) {
    if (err instanceof CurateError) throw new RpcError('bad_request', err.message);
    throw err;
  }
  const sum = values.reduce((a, v) => a + shares[v]!, 0);
  const rowGroup = (i: number) => groups[i]!;
  const members = picked.rows.map((i) => ({ sampleId: pool.ids[i]!, reason: `${field} = ${values[rowGroup(i)]} (target ${(100 * shares[values[rowGroup(i)]!]! / sum).toFixed(0)} % of the set)` }));
  const slice = slices.save(params.name, 'target', params, params.seed ?? 0, maps.latestId(), members);
  ctx.progress(1, 1, `slice ${slice.name} v${slice.version}`);
  return {
    slice, method: 'shares', reference: null, mmd: null, randomMmd: null, classQuota: null,
    match: { field, values: values.map((v, g) => ({ value: v, target: shares[v]! / sum, count: picked.got[g]! })) },
    warnings: picked.warnings.map((w) => w.replace(/^group (\d+)/, (_, g: string) => `${field} = ${values[Number(g)]}`)),
    seconds: (performance.now() - t0) / 1000,
  };
}
