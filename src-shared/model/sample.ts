export interface SampleDetail {
  id: number;
  datasetId: number;
  relPath: string;
  width: number;
  height: number;
  contentHash: string;
  label: string | null;
  originalLabel: string | null;
  split: string | null;
  metadata: Record<string, string | number | null>;
}

/** Pixel payload for a thumbnail or a full image, decoded by the renderer. */
export interface ImagePayload {
  format: 'png' | 'gray8' | 'jpeg' | 'webp' | 'other';
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Columnar view of every sample in display order: row i is sample ids[i]. Labels are indices
 * into labelNames (0xffff = unlabelled) so 1M rows cross the wire as two small binary arrays.
 */
export interface SampleColumns {
  ids: Int32Array;
  labels: Uint16Array;
  labelNames: string[];
  /** Per row: bit 0 excluded, bit 1 relabelled (label differs from the original), bit 2 reviewed (a review decision was made). */
  flags: Uint8Array;
}

export const FLAG_EXCLUDED = 1;
export const FLAG_RELABELLED = 2;
export const FLAG_REVIEWED = 4;

export const UNLABELLED = 0xffff;
