// The selection of one point cloud: the sorted ids, the mask the thumbnail pass reads, and
// lasso/box selection (screen polygon -> data polygon -> spatial index -> exact test, in the
// lasso worker for large layouts). The engine supplies the layout through a small host.
import { screenToData, type View } from './camera';
import { defaultLassoWorker, LassoClient } from './lassoClient';
import { selectInPolygon, type PolygonHits } from './polygon';
import { combineSelection, normalizeIds, type SelectMode } from './selection';
import type { SpatialGrid } from './spatialGrid';
import type { PointCloudOptions, SelectInfo } from './types';

const EMPTY_IDS = new Uint32Array(0);

/** What selection needs from the engine, read at the moment it is needed. */
export interface SelectionHost {
  count(): number;
  positions(): { x: Float32Array; y: Float32Array };
  dim(): Uint8Array | null;
  grid(): SpatialGrid;
  /** Bumped by every new point set or position update: a lasso answer for an older one is dropped. */
  layoutVersion(): number;
  alive(): boolean;
  view(): View;
  viewport(): { width: number; height: number };
  /** Thumbnails are on: they need a per-point mask of the selection. */
  wantsMask(): boolean;
  /** Draw the selection ring for these ids, then redraw (lod: sprites must re-pick). */
  show(ids: Uint32Array, lod: boolean): void;
  /** The worker built the grid of layout `version` (the host checks it is still the current one). */
  gridBuilt(version: number, grid: SpatialGrid): void;
}

export class SelectionControl {
  private ids: Uint32Array = EMPTY_IDS;
  /** 1 per selected point while thumbnails are on (the sprite pass reads it); else null. */
  mask: Uint8Array | null = null;
  private readonly lasso: LassoClient;
  /** The worker's copy of the layout is out of date. */
  private workerStale = false;

  constructor(private readonly host: SelectionHost, worker: PointCloudOptions['worker']) {
    this.lasso = new LassoClient(worker === false ? null : (worker ?? defaultLassoWorker), (version, grid) => host.gridBuilt(version, grid));
  }

  get(): Uint32Array {
    return this.ids;
  }

  /** A new point set: nothing selected, the worker's copy stale. */
  reset(): void {
    this.ids = EMPTY_IDS;
    this.mask = null;
    this.workerStale = true;
  }

  /** Positions moved: the worker needs them again before the next lasso. */
  layoutChanged(): void {
    this.workerStale = true;
  }

  setDim(mask: Uint8Array | null): void {
    this.lasso.setSkip(mask);
  }

  /** Sends the layout to the worker if it changed; done after the first frame, off its path. */
  primeWorker(): void {
    if (!this.workerStale) return;
    this.workerStale = false;
    const { x, y } = this.host.positions();
    this.lasso.setLayout(x, y, this.host.dim(), this.host.layoutVersion());
  }

  /** Whether the worker has the layout and will send its grid back (else the page builds one). */
  get workerBuildsGrid(): boolean {
    return this.lasso.active && !this.workerStale;
  }

  set(ids: Uint32Array): void {
    // A host writing back the array `select` gave it: already sorted, unique and drawn.
    if (ids === this.ids) return;
    this.apply(normalizeIds(this.host.count(), ids));
  }

  /** Re-applies the selection (thumbnails turned on or off change whether a mask is kept). */
  refresh(): void {
    this.apply(this.ids);
  }

  async selectPolygon(screenPolygon: ArrayLike<number>, mode: SelectMode, source: SelectInfo['source']): Promise<{ ids: Uint32Array; info: SelectInfo; changed: boolean }> {
    const host = this.host;
    const poly = new Float64Array(screenPolygon.length & ~1);
    const view = host.view();
    const vp = host.viewport();
    for (let i = 0; i + 1 < screenPolygon.length; i += 2) {
      const [dx, dy] = screenToData(view, vp, screenPolygon[i], screenPolygon[i + 1]);
      poly[i] = dx;
      poly[i + 1] = dy;
    }
    this.primeWorker();
    const version = host.layoutVersion();
    const hits: PolygonHits = await this.lasso.select(poly, () => selectInPolygon(host.grid(), poly, host.dim()));
    if (!host.alive() || version !== host.layoutVersion()) {
      return { ids: this.ids, info: { mode, source, hits: 0, reason: hits.reason }, changed: false };
    }
    const info: SelectInfo = { mode, source, hits: hits.ids.length, reason: hits.reason };
    // A polygon that cannot select leaves the selection as it was, even in replace mode.
    if (!hits.reason) this.apply(combineSelection(host.count(), this.ids, hits.ids, mode));
    return { ids: this.ids, info, changed: true };
  }

  dispose(): void {
    this.lasso.dispose();
  }

  private apply(ids: Uint32Array): void {
    this.ids = ids;
    const withMask = this.host.wantsMask();
    if (withMask) {
      this.mask = new Uint8Array(this.host.count());
      for (let i = 0; i < ids.length; i++) this.mask[ids[i]] = 1;
    } else {
      this.mask = null;
    }
    this.host.show(ids, withMask);
  }
}
