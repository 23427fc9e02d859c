// Explorer state. The map's per-point columns are held by reference (never copied into React
// state); everything else is small and serialisable.
import { create } from 'zustand';
import type { ScoreColumns } from '../../src-shared/contract/curate';
import type { MapData } from '../../src-shared/model/map';
import type { SliceInfo } from '../../src-shared/model/slice';
import type { MetadataColumn } from '../../src-shared/model/metadata';
import type { ColorBy, Legend } from './map-colouring';

export type { ColorBy };
export type Tool = 'pan' | 'lasso' | 'box';

export interface MapState {
  view: 'grid' | 'map';
  map: MapData | null;
  /** Layout epochs while a map job refines, for the status line. */
  progress: { epoch: number; total: number } | null;
  scores: ScoreColumns | null;
  colorBy: ColorBy;
  /** What the map's colours mean now (set by the scene feed with each colour column it sends). */
  legend: Legend | null;
  /** The metadata field being coloured by, when colorBy is `meta:<field>`. */
  metaColumn: MetadataColumn | null;
  pointSize: number;
  /** Draw thumbnails on the points in view when zoomed in. */
  thumbnails: boolean;
  tool: Tool;
  /** Selected rows of the map. */
  selection: Uint32Array;
  query: string;
  queryError: string | null;
  /** Sample ids matching the query (ascending), or null when there is no query. */
  queryIds: Int32Array | null;
  slices: SliceInfo[];
  /** Sample ids of the slice shown, ascending, and each one's pick rank (0 = picked first). */
  activeSlice: { info: SliceInfo; ids: Int32Array; ranks: Int32Array } | null;
  /** The last slice report's reference folder on the map: the nearest mapped sample of each of its images. */
  reference: { name: string; ids: Int32Array } | null;
  reviewOpen: boolean;
}

export const useMap = create<MapState>(() => ({
  view: 'grid',
  map: null,
  progress: null,
  scores: null,
  colorBy: 'label',
  legend: null,
  metaColumn: null,
  pointSize: 4,
  thumbnails: true,
  tool: 'pan',
  selection: new Uint32Array(0),
  query: '',
  queryError: null,
  queryIds: null,
  slices: [],
  activeSlice: null,
  reference: null,
  reviewOpen: false,
}));
