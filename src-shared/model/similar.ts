export interface SimilarHit { sampleId: number; similarity: number }
