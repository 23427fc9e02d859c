export interface ImportProblem {
  path: string;
  reason: string;
}

export interface ImportSummary {
  datasetId: number;
  added: number;
  skippedExisting: number;
  failed: ImportProblem[];
  warnings: string[];
}
