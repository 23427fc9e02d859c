export type DatasetKind = 'folder' | 'mnist';

export interface DatasetInfo {
  id: number;
  name: string;
  kind: DatasetKind;
  /** Absolute folder for `folder` datasets; null for built-in data stored inside the project. */
  root: string | null;
  sampleCount: number;
  createdAt: string;
}

export interface CountEntry {
  value: string | null;
  count: number;
}

export interface DatasetOverview {
  projectPath: string;
  datasets: DatasetInfo[];
  total: number;
  byLabel: CountEntry[];
  bySplit: CountEntry[];
  metadataFields: string[];
  failedCount: number;
}
