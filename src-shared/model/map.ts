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
