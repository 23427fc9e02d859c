// An Auto-Curate run: fresh scores from the current labels, the engine's picks, and a new
// slice version holding each pick's reason.
import type { JobParams } from '../../../src-shared/contract/job-map';
import type { CurateJobResult } from '../../../src-shared/model/slice';
import type { Catalog } from '../catalog/catalog';
import type { CuratePick } from './engine';
import type { EmbeddingStore } from '../embed/embedding-store';
import type { JobContext } from '../jobs/job-manager';
import type { MapStore } from '../map/map-store';
import { scoreAndPickOffThread } from './score-thread';
import type { SliceStore } from '../slices/slice-store';

export async function runCurate(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, slices: SliceStore, params: JobParams<'curate'>, ctx: JobContext, opts: { thread?: boolean } = {}): Promise<CurateJobResult> {
  const t0 = performance.now();
  ctx.progress(0, 3, 'scoring');
  // The tray counts this job's three steps whole; the scoring's stages show in the message.
  const outcome = await scoreAndPickOffThread(catalog, embeddings, maps, params, {
    signal: ctx.signal, thread: opts.thread,
    progress: (_share, message) => ctx.progress(0, 3, message),
    picking: () => ctx.progress(1, 3, `picking ${params.n} (${params.mode})`),
  });
  ctx.signal.throwIfAborted();
  ctx.progress(2, 3, 'saving slice');
  const names = outcome.classNames;
  const members = outcome.picks.map((p, i) => ({ sampleId: outcome.sampleIds[i]!, reason: reasonText(p, names) }));
  const slice = slices.save(params.name, params.mode, params, params.seed ?? 0, outcome.mapId, members);
  const sample = catalog.db.prepare('SELECT rel_path, label FROM samples WHERE id = ?');
  const picks = outcome.picks.map((p, i) => {
    const row = sample.get(members[i]!.sampleId) as { rel_path: string; label: string | null };
    return {
      id: members[i]!.sampleId, path: row.rel_path, label: row.label, reason: members[i]!.reason,
      ...(p.suggestedLabel !== undefined && p.suggestedLabel >= 0 ? { suggestedLabel: names[p.suggestedLabel], confidence: p.confidence } : {}),
    };
  });
  ctx.progress(3, 3, `slice ${slice.name} v${slice.version}`);
  const warnings = outcome.warnings.map((w) => w.message);
  if (!outcome.labelled && !outcome.warnings.some((w) => w.code === 'NO_LABELS')) {
    warnings.push('the dataset has no labels: class balance and label noise were not used, only the label-free criteria');
  }
  return { slice, picks, warnings, seconds: (performance.now() - t0) / 1000 };
}

function reasonText(p: CuratePick, names: string[]): string {
  switch (p.reason) {
    case 'typical': return p.cluster !== undefined ? `typical of cluster ${p.cluster} (${p.clusterSize ?? '?'} samples)` : 'typical';
    case 'mislabeled': return p.suggestedLabel !== undefined && p.suggestedLabel >= 0 ? `likely mislabelled: suggested "${names[p.suggestedLabel]}" (p=${(p.confidence ?? 0).toFixed(2)})` : 'likely mislabelled';
    case 'rare': return p.nearClass !== undefined ? `rare for its class, near "${names[p.nearClass]}" (score ${p.score.toFixed(3)})` : `rare (score ${p.score.toFixed(3)})`;
    case 'ambiguous': return `ambiguous: neighbours disagree with its label (score ${p.score.toFixed(3)})`;
    default: return `${p.reason} (score ${p.score.toFixed(3)})`;
  }
}
