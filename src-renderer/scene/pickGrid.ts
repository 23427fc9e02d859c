// The spatial grid of the current layout, for picking, lasso on the main thread and sprites:
// built lazily (first pick) or when idle after the first frame, dropped when positions move
// and rebuilt a little later so a progressive layout does not rebuild it on every step.
import { buildGrid, nearest, type SpatialGrid } from './spatialGrid';

export class PickGrid {
  private grid: SpatialGrid | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private x: Float32Array = new Float32Array(0);
  private y: Float32Array = new Float32Array(0);

  /** `built`: a scheduled build finished (sprites can now be picked). */
  constructor(private readonly built: () => void) {}

  /** New positions: the grid is stale. */
  setLayout(x: Float32Array, y: Float32Array): void {
    this.x = x;
    this.y = y;
    this.grid = null;
  }

  /** The grid if it is built, else null (no sprites until it is). */
  get current(): SpatialGrid | null {
    return this.grid;
  }

  ensure(): SpatialGrid {
    if (!this.grid) this.grid = buildGrid(this.x, this.y);
    return this.grid;
  }

  /** A grid built elsewhere (the lasso worker) from the current positions. */
  adopt(grid: SpatialGrid): void {
    if (this.grid || grid.n !== this.x.length) return;
    this.grid = grid;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.built();
  }

  /** Builds the grid after `delayMs` unless it is built by then. */
  schedule(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.grid) return;
      this.ensure();
      this.built();
    }, delayMs);
  }

  /** Nearest visible point to data (x, y) within `radius` data units, or -1. */
  nearest(x: number, y: number, radius: number, dim: Uint8Array | null): number {
    return nearest(this.ensure(), x, y, radius, dim);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.grid = null;
  }
}
