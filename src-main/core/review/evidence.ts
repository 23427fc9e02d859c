// The evidence beside one flagged sample: its labels, the newest map's scores for it, the
// neighbours that voted (from the map's k-NN graph, the one the scores were computed on), the
// slices it is in with their pick reasons, and one sentence saying why.
import type { KnnGraph } from '../../../src-shared/model/knn';
import type { NeighbourVote, SampleEvidence, SliceMembership } from '../../../src-shared/model/review';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import type { MapStore } from '../map/map-store';
import { reviewReason } from './reason';
import { indexOfId } from '../../../src-shared/model/ids';

/** Neighbours shown (and counted in the sentence) unless asked otherwise. */
export const DEFAULT_NEIGHBOURS = 10;

interface ScoreRow {
  sparseness: number | null; noise: number | null; suggested: string | null; confidence: number | null;
  dupGroup: number | null; modelLabel: string | null; modelDisagrees: number | null;
}

/**
 * The newest map's graph, kept while it stays the newest: the next card must not re-read
 * megabytes of graph (70,000 × k neighbours) from the project file.
 */
export class MapGraphCache {
  private cached: { mapId: number; ids: Int32Array; graph: KnnGraph } | null = null;

  constructor(private readonly maps: MapStore) {}

  get(mapId: number): { ids: Int32Array; graph: KnnGraph } {
    if (this.cached?.mapId !== mapId) {
      const m = this.maps.get(mapId);
      this.cached = { mapId, ids: m.data.ids, graph: m.graph };
    }
    return this.cached;
  }
}

export function sampleEvidence(catalog: Catalog, maps: MapStore, graphs: MapGraphCache, id: number, neighbourCount = DEFAULT_NEIGHBOURS): SampleEvidence {
  const db = catalog.db;
  const sample = db.prepare('SELECT label, original_label, reviewed FROM samples WHERE id = ?').get(id) as { label: string | null; original_label: string | null; reviewed: number } | undefined;
  if (!sample) throw new RpcError('not_found', `no sample ${id}`);
  const slices = db.prepare(`SELECT sl.name, sl.version, m.rank, m.reason FROM slice_members m JOIN slices sl ON sl.id = m.slice_id
    WHERE m.sample_id = ? ORDER BY sl.name, sl.version DESC`).all(id) as Array<Omit<SliceMembership, 'ref'>>;
  const base = {
    id, label: sample.label, originalLabel: sample.original_label, reviewed: sample.reviewed === 1,
    slices: slices.map((s) => ({ ref: `${s.name}@${s.version}`, ...s })),
  };
  const none = { suggestedLabel: null, confidence: null, noise: null, sparseness: null, dupGroup: null, modelLabel: null, modelDisagrees: null, neighbours: [] as NeighbourVote[] };
  const mapId = maps.latestId();
  if (mapId === null) {
    return { ...base, ...none, mapId, reason: reviewReason({ state: 'no-map', label: sample.label, noise: null, suggested: null, modelLabel: null, neighbourLabels: [] }) };
  }
  const neighbours = votersOf(catalog, graphs, mapId, id, neighbourCount);
  const s = db.prepare(`SELECT sparseness, noise, suggested_label AS suggested, suggested_confidence AS confidence, dup_group AS dupGroup, model_label AS modelLabel, model_disagree AS modelDisagrees
    FROM scores WHERE map_id = ? AND sample_id = ?`).get(mapId, id) as ScoreRow | undefined;
  if (!s) {
    // In the map but without a score row: the map job has not written its scores yet (it
    // draws the map first); telling the user to compute the map again would be wrong then.
    const state = indexOfId(graphs.get(mapId).ids, id) >= 0 ? 'scoring' : 'not-scored';
    return { ...base, ...none, neighbours, mapId, reason: reviewReason({ state, label: sample.label, noise: null, suggested: null, modelLabel: null, neighbourLabels: [] }) };
  }
  // The scores were computed against the labels of that moment: once the label has been changed
  // to the suggestion, offering it again (and its old noise as the reason) would mislead.
  if (s.suggested !== null && s.suggested === sample.label && sample.label !== sample.original_label) {
    const reason = `Its label was changed to ${s.suggested}, as the scores suggested; the scores shown are from before that change and refresh with the next map or scores run.`;
    return { ...base, mapId, reason, neighbours, suggestedLabel: null, confidence: null, noise: s.noise, sparseness: s.sparseness, dupGroup: s.dupGroup, modelLabel: s.modelLabel, modelDisagrees: s.modelDisagrees };
  }
  const reason = reviewReason({ state: 'scored', label: sample.label, noise: s.noise, suggested: s.suggested, modelLabel: s.modelLabel, neighbourLabels: neighbours.map((n) => n.label) });
  return {
    ...base, mapId, reason, neighbours,
    suggestedLabel: s.suggested, confidence: s.confidence, noise: s.noise, sparseness: s.sparseness, dupGroup: s.dupGroup,
    modelLabel: s.modelLabel, modelDisagrees: s.modelDisagrees,
  };
}

/** The sample's nearest neighbours in the map's graph, nearest first, with their current labels. */
function votersOf(catalog: Catalog, graphs: MapGraphCache, mapId: number, id: number, count: number): NeighbourVote[] {
  const { ids, graph } = graphs.get(mapId);
  const row = indexOfId(ids, id);
  if (row < 0 || count === 0) return [];
  const out: NeighbourVote[] = [];
  const label = catalog.db.prepare('SELECT label FROM samples WHERE id = ?').pluck();
  for (let t = 0; t < graph.k && out.length < count; t++) {
    const j = graph.indices[row * graph.k + t]!;
    if (j < 0) continue;
    const nid = ids[j]!;
    // Cosine distance → similarity; the PCA-space estimate can stray just outside [0, 2].
    const similarity = Math.min(1, Math.max(-1, 1 - graph.distances[row * graph.k + t]!));
    out.push({ id: nid, label: (label.get(nid) as string | null | undefined) ?? null, similarity });
  }
  return out;
}
