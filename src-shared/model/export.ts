// What an export is asked to do and what it reports: plain data, shared with the contract (the
// export job's result) and the app.

export type ExportLayout = 'imagefolder' | 'flat';
export type ExportMode = 'new' | 'merge' | 'replace';
export type ExportLink = 'copy' | 'hardlink';

/** Where the sample ids came from; recorded in winnow-export.json. */
export interface ExportSource {
  kind: 'slice' | 'selection' | 'query' | 'all';
  /** slice: its name; query: the query text. */
  name?: string;
  /** slice: a version; the newest when absent. */
  version?: number;
  params?: Record<string, unknown>;
}

export interface ExportSplit {
  /** Fraction of each label that goes to `train`; the rest goes to `val`. */
  ratio: number;
  seed: number;
}

export interface ExportOptions {
  sampleIds: number[];
  out: string;
  layout: ExportLayout;
  split?: ExportSplit;
  mode: ExportMode;
  link?: ExportLink;
  source: ExportSource;
}

export interface ExportProblem {
  sampleId: number;
  sourcePath: string;
  /** outside: the project names a file outside its dataset folder (an edited project); it is never read. */
  kind: 'missing' | 'unreadable' | 'changed' | 'unsupported' | 'outside';
  reason: string;
}

/** A label whose folder is not the label itself (unsafe characters or a clash with another label). */
export interface FolderRename {
  label: string | null;
  folder: string;
  why: 'unsafe' | 'collision' | 'unlabelled';
}

/** Source files whose exported name differs from their own name. */
export interface FileRename {
  sampleId: number;
  sourcePath: string;
  path: string;
  why: 'unsafe' | 'same-name' | 'exists';
}

export interface ExportSummary {
  out: string;
  layout: ExportLayout;
  mode: ExportMode;
  link: ExportLink;
  /** Samples asked for. */
  requested: number;
  /** Files the export now holds for this request (written now, reused from a resumed run, or already identical in a merge). */
  exported: number;
  copied: number;
  linked: number;
  encoded: number;
  /** Files found complete in a leftover partial folder of the same request. */
  resumedFiles: number;
  /** merge: files already present with identical content. */
  unchanged: number;
  /** True when the destination already held exactly this export. */
  alreadyComplete: boolean;
  byLabel: Array<{ label: string | null; folder: string; count: number }>;
  bySplit: Record<string, number> | null;
  folderRenames: FolderRename[];
  fileRenames: number;
  problems: ExportProblem[];
  warnings: string[];
  files: { manifestCsv: string; manifestJson: string; info: string };
  seconds: number;
}
