// Small, serialisable UI state. Per-sample columns are held by reference (typed arrays), never
// copied into React state per item.
import { create } from 'zustand';
import type { ProjectSummary } from '../../src-shared/contract/project';
import type { AppInfo } from '../../src-shared/contract/app';
import type { SampleColumns } from '../../src-shared/model/sample';
import { DEFAULT_APPEARANCE_WEIGHT, type CurateModeName } from '../../src-shared/model/slice';
import type { ReviewOrder } from '../../src-shared/model/review';

export type Dialog = 'none' | 'project' | 'import' | 'embed' | 'export' | 'help';

/** The review queue on show: its samples in order and where the reviewer is (see review-actions.ts). */
export interface ReviewSession {
  /** What the queue was built from: a slice ref, or the selection's ids. */
  source: { slice?: string; ids?: Int32Array<ArrayBuffer> };
  /** The key the server keeps the position under (slice ref or "selection"). */
  key: string;
  /** What the header calls it ("mislabeled v1", "selection"). */
  title: string;
  ids: Int32Array;
  order: ReviewOrder;
  pos: number;
}

/** Tile fields the grid can show on its thumbnails (and sort by). */
export type GridField = 'none' | 'noise' | 'suggested' | 'sparseness' | 'dupGroup' | 'reviewed' | 'pick';
export type GridSort = 'id' | 'noise' | 'sparseness' | 'dupGroup' | 'reviewed' | 'pick';

/** The Auto-Curate form as typed (strings), kept per project. */
export interface CurateForm {
  mode: CurateModeName;
  n: string;
  name: string;
  seed: string;
  weights: { sparseness: string; noise: string; class: string; feature: string };
  look: string;
  /** Edge cases: which edges ('both', 'rare' or 'ambiguous'). */
  edges: 'both' | 'rare' | 'ambiguous';
}

export const DEFAULT_CURATE_FORM: CurateForm = {
  mode: 'representative', n: '100', name: '', seed: '0',
  weights: { sparseness: '1', noise: '0', class: '0', feature: '0' }, look: String(DEFAULT_APPEARANCE_WEIGHT), edges: 'both',
};

export interface AppState {
  connection: 'connecting' | 'ready' | 'lost';
  info: AppInfo | null;
  project: ProjectSummary | null;
  columns: SampleColumns | null;
  dialog: Dialog;
  selectedIndex: number | null;
  detailOpen: boolean;
  labelFilter: string | null;
  toast: string | null;
  canUndo: boolean;
  canRedo: boolean;
  /** Bumped by every label edit so views showing one sample refetch it. */
  editVersion: number;
  /** Samples with a vector in the active embedding set; null until known. */
  embedded: number | null;
  curateForm: CurateForm;
  /** Position in the review queue, kept per project. */
  reviewPos: number;
  /** The review queue on show (null when none is open or while it loads). */
  review: ReviewSession | null;
  /** A non-error message (undo/redo, bulk accept), shown beside the error toast. */
  notice: string | null;
  gridField: GridField;
  gridSort: GridSort;
}

export const useApp = create<AppState>(() => ({
  connection: 'connecting',
  info: null,
  project: null,
  columns: null,
  dialog: 'none',
  selectedIndex: null,
  detailOpen: false,
  labelFilter: null,
  toast: null,
  canUndo: false,
  canRedo: false,
  editVersion: 0,
  embedded: null,
  curateForm: DEFAULT_CURATE_FORM,
  reviewPos: 0,
  review: null,
  notice: null,
  gridField: 'none',
  gridSort: 'id',
}));
