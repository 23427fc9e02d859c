export interface ImportProblem {
  path: string;
  reason: string;
}

/** How many failures an import summary carries; the rest are paged with `dataset.importFailures`. */
export const SUMMARY_FAILURES = 100;

export interface ImportSummary {
  datasetId: number;
  added: number;
  skippedExisting: number;
  /** Every file or folder that could not be imported. */
  failedCount: number;
  /** The first SUMMARY_FAILURES of them, by path. */
  failed: ImportProblem[];
  warnings: string[];
}

export interface ImportFailuresPage {
  jobId: string;
  total: number;
  items: ImportProblem[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}
