/**
 * One metadata field for every sample, aligned with `ids` (ascending): numeric when every
 * present value is a number (NaN = missing), else categorical (codes into categories,
 * 0xffff = missing).
 */
export type MetadataColumn =
  | { field: string; kind: 'numeric'; ids: Int32Array; values: Float32Array }
  | { field: string; kind: 'categorical'; ids: Int32Array; codes: Uint16Array; categories: string[] };
