/** A 2-D map of one embedding set: row i places sample ids[i] at (x[i], y[i]). */
export interface MapData {
  mapId: number;
  setId: number;
  ids: Int32Array;
  x: Float32Array;
  y: Float32Array;
  createdAt: string;
}

/** Pushed while a layout refines: positions in the row order of the map's ids. */
export interface MapProgress {
  jobId: string;
  epoch: number;
  totalEpochs: number;
  ids: Int32Array;
  x: Float32Array;
  y: Float32Array;
}

/** What a map job reports: the stored map, its parameters and where the time went (ms). */
export interface MapJobResult {
  mapId: number;
  setId: number;
  n: number;
  k: number;
  seed: number;
  timings: Record<string, number>;
  /** True when only new samples were placed into the previous layout. */
  incremental: boolean;
  added: number;
  /** Samples the layout itself handled; the others (n - laidOut) were placed by their neighbours. Absent on an incremental update. */
  laidOut?: number;
}
