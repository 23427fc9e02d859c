// Small, serialisable UI state. Per-sample columns are held by reference (typed arrays), never
// copied into React state per item.
import { create } from 'zustand';
import type { ProjectSummary } from '../../src-shared/contract/project';
import type { AppInfo } from '../../src-shared/contract/app';
import type { ImportSummary } from '../../src-shared/model/import';
import type { JobProgress } from '../../src-shared/model/job';
import type { SampleColumns } from '../../src-shared/model/sample';

export type Dialog = 'none' | 'project' | 'import' | 'help';

export interface ImportRun {
  jobId: string;
  progress: JobProgress | null;
  state: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
  summary: ImportSummary | null;
  error: string | null;
}

export interface AppState {
  connection: 'connecting' | 'ready' | 'lost';
  info: AppInfo | null;
  project: ProjectSummary | null;
  columns: SampleColumns | null;
  importRun: ImportRun | null;
  dialog: Dialog;
  selectedIndex: number | null;
  detailOpen: boolean;
  labelFilter: string | null;
  toast: string | null;
}

export const useApp = create<AppState>(() => ({
  connection: 'connecting',
  info: null,
  project: null,
  columns: null,
  importRun: null,
  dialog: 'none',
  selectedIndex: null,
  detailOpen: false,
  labelFilter: null,
  toast: null,
}));
