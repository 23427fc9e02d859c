export type CurateModeName = 'representative' | 'edge-cases' | 'mislabeled' | 'custom';

export interface SliceInfo {
  id: number;
  name: string;
  version: number;
  mode: CurateModeName;
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
