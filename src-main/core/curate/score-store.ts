// Computes the per-sample scores of the newest map from current labels and stores them, so
// they are queryable (noise > 0.8) and exportable. Async because appearance signatures and
// tiles may have to be decoded from thumbnails first (appearance-store.ts); later runs read
// them back. Scores already computed from the same inputs are reused (score-cache.ts).
import type { Catalog } from '../catalog/catalog';
import { allVectors, classCount, computeScores, DEFAULT_APPEARANCE_THRESHOLD, hasLabels, modelProbabilities, projectForClustering, vectorRowCount, withAppearanceDuplicates, type CurateInput, type ScoreInput, type ScoreSet } from './engine';
import { takeVectors, type EmbeddingStore, type VectorHandOver } from '../embed/embedding-store';
import type { MapStore } from '../map/map-store';
import { collectGarbage, WORTH_COLLECTING } from '../jobs/collect-garbage';
import { buildCurateInput, type ProjectCurateInput } from './curate-input';
import { cachedAppearanceGroupsByContent } from './appearance-groups-cache';
import { ensureAppearance, readSignatures } from './appearance-store';
import { loadGrey } from './grey-images';
import { loadPredictions } from './predictions-store';
import { putScoreColumns, scoreColumnsOf } from './score-columns';
import { cachedScores, hasCachedScores, putCachedScores, scoreKey, type ScoreKeyOptions } from './score-cache';

/** `reused`: the scores were read back, not computed (nothing they depend on changed). */
export interface ScoredProject extends ProjectCurateInput { scores: ScoreSet; reused: boolean }

/** How far a scoring run is (share of its work, 0–1) and what it is doing, for the job that runs it. */
export type ScoreProgress = (share: number, message: string) => void;

/**
 * `vectors`: the active set's, already in memory (score-thread.ts ScoreRun), taken out of the box
 * (the giver keeps no reference); read from the file otherwise.
 */
type ScoreProjectOptions = ScoreKeyOptions & { field?: string; signal?: AbortSignal; progress?: ScoreProgress; vectors?: VectorHandOver };

/**
 * Where the near-duplicate search starts and ends, as shares of a scoring run, by what the run
 * has to do; label noise and the other scores are computed beside the search, storing after it.
 * At a million samples (bench/scale-curate.ts): computing every look ≈ 45 %, then the search ≈ 40 %
 * (a project whose looks the import did not make: an older one, or a new signature version).
 * With the looks made at import, reading the signatures and the search are most of the first
 * scoring. A later run, on content already searched, reads the groups back, and the rest (label
 * noise, storing) is nearly all of it (bench/map-progress.ts).
 */
const WITH_LOOKS = { search: 0.45, rest: 0.85 };
const WITH_SEARCH = { search: 0.05, rest: 0.65 };
const LATER = { search: 0.05, rest: 0.1 };
/**
 * Up to this many bytes of vectors, the near-duplicate search starts before the probe, on its own
 * threads, so that the probe runs beside it instead of ahead of it: a first scoring at 70,000
 * samples 0.4–0.9 s sooner on two cores (bench/curate-project.ts). Past it the search waits until
 * the vectors are let go (scoreMap's `release`): at a million 544-d samples, 2.2 GB held through
 * the search took the map job from 3.6–3.8 GB to 5.0 GB (bench/scale-1m.ts --dim 544).
 */
const EARLY_SEARCH_BYTES = 512 * 2 ** 20;

/** The newest map's curate input and scores, computed now or reused. */
export async function scoreProject(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, opts: ScoreProjectOptions = {}): Promise<ScoredProject> {
  const scored = await scoreMap(catalog, embeddings, maps, opts, undefined, false);
  // Kept (release false): the curate run that asked reads them.
  return { ...scored, input: scored.input as CurateInput };
}

/**
 * scoreProject's work. `release`: the caller reads only whether scores were reused (a refresh), so
 * the vectors are let go as soon as the probe has its probabilities, before the near-duplicate
 * search: at a million 544-d samples that search peaked with the 2.2 GB of vectors still held,
 * the map job at 5 GB (bench/scale-1m.ts --dim 544).
 */
async function scoreMap(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, opts: ScoreProjectOptions, knownKey: { mapId: number; key: string } | undefined, release: boolean): Promise<Omit<ScoredProject, 'input'> & { input: ScoreInput }> {
  const { field, signal, progress, vectors, ...scoreOpts } = opts;
  const built = buildCurateInput(catalog, embeddings, maps, { field, vectors: takeVectors(vectors) });
  const mapId = built.map.data.mapId;
  if (!built.input.space) {
    // Every curate run clusters in the embedding's PCA: made once per map, by its first scoring
    // (the map job's last step), on the scoring thread with the rest. Seed 0, whatever a curate
    // run's seed: the projection is a property of the map. At a million samples it is 3 s that
    // the map job spent on the core's thread.
    built.input.space = projectForClustering(allVectors(built.input.vectors), built.input.dim, { seed: 0 });
    maps.saveClusterSpace(mapId, built.input.space);
  }
  const key = knownKey?.mapId === mapId ? knownKey.key : scoreKey(catalog, mapId, built.ids, scoreOpts);
  // The looks are made current here (the import made them; a project from before, or a new
  // signature version, has them decoded now); the signatures are read only if the near-duplicate
  // groups of this content are not cached (and not at all when every one was just computed), the
  // tiles only by the modes that use them (run-curate.ts).
  const looks = await ensureAppearance(catalog, built.ids, { signal, handOver: true, progress: (done, total) => progress?.((WITH_LOOKS.search * done) / total, `scores: the looks of ${done} of ${total} images`) });
  let at = looks.computed > 0 ? WITH_LOOKS : LATER;
  let fresh = looks.signatures;
  looks.signatures = undefined;
  // Let go once the search has them (or its groups were cached): at a million samples they are
  // half a gigabyte, not to be held through the scoring that follows.
  const signatures = () => {
    const s = fresh ?? readSignatures(catalog, built.ids, { shared: true });
    fresh = undefined;
    return s;
  };
  const predictions = built.input.labels && loadPredictions(catalog, built.ids, built.input.classNames ?? []);
  if (predictions) built.input.predictions = predictions;
  const cached = cachedScores(catalog, mapId, key);
  if (cached && cached.n === built.ids.length) return { ...built, scores: cached, reused: true };
  signal?.throwIfAborted();
  // The near-duplicate search runs on threads of its own (appearance-pairs.ts) while this one scores
  // label noise and the rest, which do not need its groups: at a million samples the search is most
  // of a first scoring, and it left the other core idle while this thread scored. The aligned stage
  // also compares each image with its nearest in the map's k-NN graph.
  const startSearch = () => {
    const graph = built.input.graph;
    const started = cachedAppearanceGroupsByContent(catalog, built.input.hashes!, scoreOpts.appearanceThreshold ?? DEFAULT_APPEARANCE_THRESHOLD, signatures, {
      onSearch: (share) => {
        if (at === LATER) at = WITH_SEARCH;
        progress?.(at.search + (at.rest - at.search) * share, 'scores: near duplicates by appearance');
      },
      images: (only) => loadGrey(catalog, built.ids, signal, only),
      graph: { neighbours: { indices: graph.indices, k: graph.k }, key: `set ${built.map.data.setId} k ${graph.k}` },
    });
    // Awaited below; if the scoring fails first, its failure is the one reported.
    started.catch(() => {});
    return started;
  };
  const early = built.ids.length * built.input.dim * Float32Array.BYTES_PER_ELEMENT <= EARLY_SEARCH_BYTES ? startSearch() : undefined;
  // The probe is the scores' one use of the vectors: past EARLY_SEARCH_BYTES it runs before the
  // search, so that a refresh can let them go for the search and what follows (null: no
  // probabilities to mix in).
  const input: ScoreInput = built.input;
  let model: Float32Array | null = null;
  if (hasLabels(input.labels)) {
    progress?.(at.search, 'scores: the linear probe');
    model = modelProbabilities(input, classCount(input), scoreOpts.probe) ?? null;
    signal?.throwIfAborted();
  }
  if (release) {
    // Read on demand, the probe's read is kept with them: count it as held.
    const bytes = input.vectors ? vectorRowCount(input.vectors, input.dim) * input.dim * 4 : 0;
    input.vectors = null;
    // Freed now, not at this thread's next full collection, which may come after the search.
    if (bytes >= WORTH_COLLECTING) collectGarbage();
  }
  const search = early ?? startSearch();
  progress?.(at.search, 'scores: label noise and rarity');
  const scores = computeScores(input, { ...scoreOpts, model });
  withAppearanceDuplicates(scores, await search);
  fresh = undefined;
  signal?.throwIfAborted();
  progress?.(at.rest, 'scores: storing');
  storeScores(catalog, built, scores, key);
  progress?.(1, 'scores: stored');
  return { ...built, input, scores, reused: false };
}

/**
 * Makes the newest map's stored scores current: computed, unless the stored ones came from the
 * same inputs (then nothing is loaded but the key's rows; `winnow scores` right after the map
 * job costs a read).
 */
export async function refreshScores(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, opts: ScoreProjectOptions = {}): Promise<{ mapId: number; reused: boolean }> {
  const { field: _field, signal: _signal, progress: _progress, vectors: _vectors, ...scoreOpts } = opts;
  const map = maps.require();
  const mapId = map.data.mapId;
  // A map of another embedding set than the active one is refused by scoreProject, as before.
  const key = scoreKey(catalog, mapId, map.data.ids, scoreOpts);
  if (map.data.setId === embeddings.requireActive().id && hasCachedScores(catalog, mapId, key)) return { mapId, reused: true };
  const scored = await scoreMap(catalog, embeddings, maps, opts, { mapId, key }, true);
  return { mapId: scored.map.data.mapId, reused: scored.reused };
}

/**
 * The engine always names the likeliest *other* class (the mislabelled mode ranks by it); the
 * stored suggestion is what a person is told to change the label to, so it is kept only where
 * that class is likelier than the sample's own label, where confident learning flags the sample,
 * or for an unlabelled sample. Then `suggested != label` finds exactly the samples whose scores
 * disagree with their label, and a clean sample's card offers nothing to accept.
 */
export function offersSuggestion(noise: NonNullable<ScoreSet['noise']>, i: number): boolean {
  if (noise.suggested[i]! < 0) return false;
  const own = noise.selfConfidence[i]!;
  return !Number.isFinite(own) || noise.confidence[i]! > own || noise.likelyMislabeled[i] === 1;
}

/** Rows per INSERT: one statement call per row is half the CPU of writing a million score rows. */
const ROWS_PER_INSERT = 64;
const SCORE_VALUES = 10;

function storeScores(catalog: Catalog, p: ProjectCurateInput, s: ScoreSet, key: string): void {
  const insert = (rows: number) => catalog.db.prepare(`INSERT OR REPLACE INTO scores (map_id, sample_id, sparseness, noise, suggested_label, suggested_confidence, dup_group, exact_dup_group, cluster, model_disagree, model_label) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)').join(', ')}`);
  const full = insert(ROWS_PER_INSERT);
  const names = p.input.classNames ?? [];
  const group = (g: Int32Array | undefined, i: number) => (g && g[i]! >= 0 ? g[i]! : null);
  const finite = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  const values: unknown[] = [];
  catalog.db.transaction(() => {
    catalog.db.prepare('DELETE FROM scores WHERE map_id = ?').run(p.map.data.mapId);
    for (let i = 0; i < p.ids.length; i++) {
      const offer = s.noise !== undefined && offersSuggestion(s.noise, i);
      const suggested = offer ? names[s.noise!.suggested[i]!] ?? null : null;
      const modelLabel = s.model && s.model.predicted[i]! >= 0 ? names[s.model.predicted[i]!] ?? null : null;
      values.push(p.map.data.mapId, p.ids[i], finite(s.sparseness[i]), finite(s.noise?.score[i]), suggested, offer ? finite(s.noise!.confidence[i]) : null, group(s.nearDuplicates.groupOf, i), group(s.exactDuplicates?.groupOf, i), finite(s.model?.disagrees[i]), modelLabel);
      if (values.length === ROWS_PER_INSERT * SCORE_VALUES) {
        full.run(values);
        values.length = 0;
      }
    }
    if (values.length) insert(values.length / SCORE_VALUES).run(values);
    putCachedScores(catalog, p.map.data.mapId, key, s);
    putScoreColumns(catalog, scoreColumnsOf(p.map.data.mapId, p.ids, s));
  })();
}
