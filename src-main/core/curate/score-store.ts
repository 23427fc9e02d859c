// Computes the per-sample scores of the newest map from current labels and stores them, so
// they are queryable (noise > 0.8) and exportable. Async because appearance signatures and
// tiles may have to be decoded from thumbnails first (appearance-store.ts); later runs read
// them back.
import type { Catalog } from '../catalog/catalog';
import { computeScores, DEFAULT_APPEARANCE_THRESHOLD, type ScoreOptions, type ScoreSet } from './engine';
import type { EmbeddingStore } from '../embed/embedding-store';
import type { MapStore } from '../map/map-store';
import { buildCurateInput, type ProjectCurateInput } from './curate-input';
import { cachedAppearanceGroups } from './appearance-groups-cache';
import { loadAppearance } from './appearance-store';
import { loadPredictions } from './predictions-store';

export interface ScoredProject extends ProjectCurateInput { scores: ScoreSet }

export async function scoreProject(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, opts: ScoreOptions & { field?: string; signal?: AbortSignal } = {}): Promise<ScoredProject> {
  const built = buildCurateInput(catalog, embeddings, maps, { field: opts.field });
  const look = await loadAppearance(catalog, built.ids, opts.signal);
  built.input.signatures = look.signatures;
  built.input.tiles = look.tiles;
  const predictions = built.input.labels && loadPredictions(catalog, built.ids, built.input.classNames ?? []);
  if (predictions) built.input.predictions = predictions;
  const appearanceDuplicates = cachedAppearanceGroups(catalog, look.signatures, opts.appearanceThreshold ?? DEFAULT_APPEARANCE_THRESHOLD);
  const scores = computeScores(built.input, { ...opts, appearanceDuplicates });
  storeScores(catalog, built, scores);
  return { ...built, scores };
}

function storeScores(catalog: Catalog, p: ProjectCurateInput, s: ScoreSet): void {
  const put = catalog.db.prepare('INSERT OR REPLACE INTO scores (map_id, sample_id, sparseness, noise, suggested_label, suggested_confidence, dup_group, exact_dup_group, cluster, model_disagree, model_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)');
  const names = p.input.classNames ?? [];
  const group = (g: Int32Array | undefined, i: number) => (g && g[i]! >= 0 ? g[i]! : null);
  const finite = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  catalog.db.transaction(() => {
    catalog.db.prepare('DELETE FROM scores WHERE map_id = ?').run(p.map.data.mapId);
    for (let i = 0; i < p.ids.length; i++) {
      const suggested = s.noise && s.noise.suggested[i]! >= 0 ? names[s.noise.suggested[i]!] ?? null : null;
      const modelLabel = s.model && s.model.predicted[i]! >= 0 ? names[s.model.predicted[i]!] ?? null : null;
      put.run(p.map.data.mapId, p.ids[i], finite(s.sparseness[i]), finite(s.noise?.score[i]), suggested, finite(s.noise?.confidence[i]), group(s.nearDuplicates.groupOf, i), group(s.exactDuplicates?.groupOf, i), finite(s.model?.disagrees[i]), modelLabel);
    }
  })();
}
