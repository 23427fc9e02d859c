// Small, serialisable UI state. Per-sample columns are held by reference (typed arrays), never
// copied into React state per item.
import { create } from 'zustand';
import type { ProjectSummary } from '../../src-shared/contract/project';
import type { AppInfo } from '../../src-shared/contract/app';
import type { JobKind, JobProgress } from '../../src-shared/model/job';
import type { SampleColumns } from '../../src-shared/model/sample';

export type Dialog = 'none' | 'project' | 'import' | 'embed' | 'export' | 'help';

/** The latest background job of one kind started from this window. */
export interface JobRun {
  jobId: string;
  progress: JobProgress | null;
  state: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
  result: unknown;
  error: string | null;
}

export interface AppState {
  connection: 'connecting' | 'ready' | 'lost';
  info: AppInfo | null;
  project: ProjectSummary | null;
  columns: SampleColumns | null;
  runs: Partial<Record<JobKind, JobRun>>;
  dialog: Dialog;
  selectedIndex: number | null;
  detailOpen: boolean;
  labelFilter: string | null;
  toast: string | null;
  canUndo: boolean;
  canRedo: boolean;
  /** Bumped by every label edit so views showing one sample refetch it. */
  editVersion: number;
}

export const useApp = create<AppState>(() => ({
  connection: 'connecting',
  info: null,
  project: null,
  columns: null,
  runs: {},
  dialog: 'none',
  selectedIndex: null,
  detailOpen: false,
  labelFilter: null,
  toast: null,
  canUndo: false,
  canRedo: false,
  editVersion: 0,
}));
