export type Device = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml';

export interface EmbeddingSetSummary {
  id: number;
  modelName: string;
  modelSha256: string;
  dim: number;
  provider: string | null;
  count: number;
  failed: number;
  createdAt: string;
}

export interface EmbedJobResult {
  setId: number;
  model: string;
  provider: string;
  fallbackReason: string | null;
  dim: number;
  embedded: number;
  skipped: number;
  failed: Array<{ sampleId: number; reason: string }>;
  imagesPerSecond: number;
  /** Where the job's time went (ms): inference, waiting for prepared batches, storing vectors. */
  timings: { inferenceMs: number; waitMs: number; storeMs: number };
}
