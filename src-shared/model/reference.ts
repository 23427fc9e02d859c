// A reference set (issue 18): a folder of images from where a model will be used, embedded with
// the project's model but never added to the dataset; a validation set picked toward it, and
// how representative any slice is of the pool and of the reference.
import type { ImportProblem } from './import';
import type { SliceInfo } from './slice';

export type TargetMethod = 'herding' | 'quotas';

export interface ReferenceSummary {
  root: string;
  /** Images embedded. */
  images: number;
  /** Files that could not be decoded (the first 20) and their count. */
  failedCount: number;
  failed: ImportProblem[];
  model: string;
}

export interface ClassShareOut {
  /** null = unlabelled. */
  label: string | null;
  slice: number;
  pool: number;
  /** The reference's share (its folder labels where they name a class, else the nearest pool sample's label); null without a reference. */
  reference: number | null;
}

export interface ValidationSetResult {
  slice: SliceInfo;
  /** 'shares' when the target was a metadata distribution. */
  method: TargetMethod | 'shares';
  /** The reference folder; null when the target was a metadata distribution. */
  reference: ReferenceSummary | null;
  /** Biased MMD of the picked set to the reference, and of random sets of the same size (mean of 3); null for a metadata target. */
  mmd: number | null;
  randomMmd: number | null;
  /** A metadata target: each value's share asked for, and the picks it got. */
  match: { field: string; values: Array<{ value: string; target: number; count: number }> } | null;
  /** Picks per class (where class quotas were used). */
  classQuota: Array<{ label: string | null; count: number }> | null;
  warnings: string[];
  seconds: number;
}

export interface ReferencePoints {
  mapId: number;
  /** Map positions of (a sample of at most MAX_REFERENCE_POINTS) reference images, each at its nearest mapped sample. */
  x: number[];
  y: number[];
  /** The nearest mapped sample of each of those reference images. */
  nearestIds: number[];
}

export const MAX_REFERENCE_POINTS = 2000;

export interface SliceReport {
  slice: SliceInfo;
  /** Members in the pool (non-excluded samples with a vector), and the pool's size. */
  size: number;
  poolSize: number;
  classMix: ClassShareOut[] | null;
  coverage: {
    k: number; hit: number; share: number; poolCovered: number;
    referenceClusters: number | null; referenceHit: number | null; referenceCovered: number | null;
  };
  mmdToReference: number | null;
  randomMmdToReference: number | null;
  mmdToPool: number;
  randomMmdToPool: number;
  reference: ReferenceSummary | null;
  /** Where the reference sits on the newest map; null without a reference or a map. */
  referencePoints: ReferencePoints | null;
  warnings: string[];
  seconds: number;
}
