// Messages between the engine and the lasso worker. Arrays are transferred, never cloned as
// JSON; the worker handles messages in order, so a selection always sees the layout and the
// dim mask posted before it.
import type { PolygonProblem } from './polygon';
import type { SpatialGrid } from './spatialGrid';

export type LassoRequest =
  /** `version`: the engine's layout version, echoed with the grid the worker builds from it. */
  | { type: 'layout'; version: number; x: Float32Array; y: Float32Array }
  | { type: 'skip'; mask: Uint8Array | null }
  | { type: 'select'; id: number; polygon: Float64Array };

export type LassoResponse =
  | { type: 'result'; id: number; ids: Uint32Array; reason?: PolygonProblem }
  | { type: 'error'; id: number; message: string }
  /** A copy of the grid built for layout `version`, so the page need not build its own for picking. */
  | { type: 'grid'; version: number; grid: SpatialGrid };
