export type CurateModeName = 'representative' | 'edge-cases' | 'mislabeled' | 'custom';
/** How a slice was made: a curation mode, or 'target' (a validation set picked toward a reference folder). */
export type SliceMode = CurateModeName | 'target';

/**
 * Representative subsets: weight of the 16×16 appearance tile beside the unit-length embedding
 * when clustering (0 = the embedding alone); chosen on a validation split, see
 * src-main/core/curate/engine/modes/joint-space.ts.
 */
export const DEFAULT_APPEARANCE_WEIGHT = 0.5;

export interface SliceInfo {
  id: number;
  name: string;
  version: number;
  mode: SliceMode;
  params: unknown;
  seed: number | null;
  /** The map whose scores the slice was picked from. */
  mapId: number | null;
  size: number;
  createdAt: string;
}

export interface SliceMember {
  sampleId: number;
  rank: number;
  reason: string;
}

export interface CuratePickOut {
  id: number;
  path: string;
  label: string | null;
  reason: string;
  suggestedLabel?: string;
  confidence?: number;
}

export interface CurateJobResult {
  slice: SliceInfo;
  picks: CuratePickOut[];
  warnings: string[];
  seconds: number;
}
