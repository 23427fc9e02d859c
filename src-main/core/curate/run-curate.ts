// An Auto-Curate run: fresh scores from the current labels, the engine's picks, and a new
// slice version holding each pick's reason.
import type { JobParams } from '../../../src-shared/contract/job-map';
import type { CurateJobResult } from '../../../src-shared/model/slice';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import { curate, CurateError, type BalanceTarget, type CuratePick, type CurateRequest } from './engine';
import type { EmbeddingStore } from '../embed/embedding-store';
import type { JobContext } from '../jobs/job-manager';
import type { MapStore } from '../map/map-store';
import { scoreProject } from './score-store';
import { readTiles } from './appearance-store';
import type { SliceStore } from '../slices/slice-store';

export async function runCurate(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, slices: SliceStore, params: JobParams<'curate'>, ctx: JobContext): Promise<CurateJobResult> {
  const t0 = performance.now();
  ctx.progress(0, 3, 'scoring');
  let scored;
  let result;
  try {
    // The tray counts this job's three steps whole; the scoring's stages show in the message.
    scored = await scoreProject(catalog, embeddings, maps, { field: params.by, signal: ctx.signal, progress: (_share, message) => ctx.progress(0, 3, message) });
    ctx.signal.throwIfAborted();
    ctx.progress(1, 3, `picking ${params.n} (${params.mode})`);
    // Only representative subsets look at the tiles (scoreProject made them current).
    if (params.mode === 'representative' && params.appearanceWeight !== 0) scored.input.tiles = readTiles(catalog, scored.ids);
    result = curate(scored.input, scored.scores, request(params));
  } catch (err) {
    if (err instanceof CurateError) throw new RpcError('bad_request', err.message);
    throw err;
  }
  ctx.progress(2, 3, 'saving slice');
  const names = scored.input.classNames ?? [];
  const members = result.picks.map((p) => ({ sampleId: scored.ids[p.index]!, reason: reasonText(p, names) }));
  const slice = slices.save(params.name, params.mode, params, params.seed ?? 0, scored.map.data.mapId, members);
  const sample = catalog.db.prepare('SELECT rel_path, label FROM samples WHERE id = ?');
  const picks = result.picks.map((p, i) => {
    const row = sample.get(members[i]!.sampleId) as { rel_path: string; label: string | null };
    return {
      id: members[i]!.sampleId, path: row.rel_path, label: row.label, reason: members[i]!.reason,
      ...(p.suggestedLabel !== undefined && p.suggestedLabel >= 0 ? { suggestedLabel: names[p.suggestedLabel], confidence: p.confidence } : {}),
    };
  });
  ctx.progress(3, 3, `slice ${slice.name} v${slice.version}`);
  const warnings = result.warnings.map((w) => w.message);
  if (!scored.input.labels && !result.warnings.some((w) => w.code === 'NO_LABELS')) {
    warnings.push('the dataset has no labels: class balance and label noise were not used, only the label-free criteria');
  }
  return { slice, picks, warnings, seconds: (performance.now() - t0) / 1000 };
}

function request(p: JobParams<'curate'>): CurateRequest {
  const base = { n: p.n, seed: p.seed ?? 0 };
  const balance = p.classBalance as BalanceTarget | 'none' | undefined;
  switch (p.mode) {
    case 'representative': return { ...base, mode: 'representative', classBalance: balance, excludeMislabeled: p.excludeMislabeled, appearanceWeight: p.appearanceWeight };
    case 'edge-cases': return { ...base, mode: 'edge-cases', classBalance: balance, excludeMislabeled: p.excludeMislabeled };
    case 'mislabeled': return { ...base, mode: 'mislabeled' };
    case 'custom': return {
      ...base, mode: 'custom', weights: p.weights ?? { sparseness: 1 },
      feature: p.by !== undefined ? { field: p.by } : p.clusters ? { clusters: p.clusters } : undefined,
      balance: p.by !== undefined ? { byFeature: 'uniform' } : undefined,
    };
  }
}

function reasonText(p: CuratePick, names: string[]): string {
  switch (p.reason) {
    case 'typical': return p.cluster !== undefined ? `typical of cluster ${p.cluster} (${p.clusterSize ?? '?'} samples)` : 'typical';
    case 'mislabeled': return p.suggestedLabel !== undefined && p.suggestedLabel >= 0 ? `likely mislabelled: suggested "${names[p.suggestedLabel]}" (p=${(p.confidence ?? 0).toFixed(2)})` : 'likely mislabelled';
    case 'rare': return `rare (score ${p.score.toFixed(3)})`;
    case 'ambiguous': return `ambiguous: neighbours disagree with its label (score ${p.score.toFixed(3)})`;
    default: return `${p.reason} (score ${p.score.toFixed(3)})`;
  }
}
