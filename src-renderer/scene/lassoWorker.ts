// Web Worker entry: keeps its own spatial grid of the layout and answers polygon selections,
// so a lasso over a million points never blocks the page. Thin by design: the work is
// polygon.ts and spatialGrid.ts, tested on their own.
import type { LassoRequest, LassoResponse } from './lassoProtocol';
import { selectInPolygon } from './polygon';
import { buildGrid, type SpatialGrid } from './spatialGrid';

interface WorkerScope {
  onmessage: ((e: MessageEvent<LassoRequest>) => void) | null;
  postMessage(message: LassoResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
let grid: SpatialGrid | null = null;
let skip: Uint8Array | null = null;

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'layout') {
    // Built now rather than on the first lasso, which then answers at once; a copy goes back
    // to the page for picking and sprites, which then never builds one on its main thread.
    grid = buildGrid(m.x, m.y);
    const copy: SpatialGrid = { ...grid, cellStart: grid.cellStart.slice(), order: grid.order.slice(), xs: grid.xs.slice(), ys: grid.ys.slice() };
    scope.postMessage({ type: 'grid', version: m.version, grid: copy }, [copy.cellStart.buffer, copy.order.buffer, copy.xs.buffer, copy.ys.buffer]);
  } else if (m.type === 'skip') {
    skip = m.mask;
  } else {
    try {
      if (!grid) throw new Error('no layout');
      const r = selectInPolygon(grid, m.polygon, skip);
      scope.postMessage({ type: 'result', id: m.id, ids: r.ids, reason: r.reason }, [r.ids.buffer]);
    } catch (err) {
      scope.postMessage({ type: 'error', id: m.id, message: String(err) }, []);
    }
  }
};
