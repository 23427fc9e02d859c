// Runs polygon selections in the lasso worker for large layouts and on the main thread for
// small ones. Every worker call has a timeout; a worker that fails, times out or cannot start
// is dropped and the call is redone on the main thread, so a selection always resolves.
import { WORKER_MIN_POINTS, WORKER_TIMEOUT_MS } from './constants';
import type { LassoRequest, LassoResponse } from './lassoProtocol';
import type { PolygonHits } from './polygon';
import type { SpatialGrid } from './spatialGrid';

interface Pending {
  resolve: (hits: PolygonHits) => void;
  fallback: () => PolygonHits;
  timer: ReturnType<typeof setTimeout>;
}

export function defaultLassoWorker(): Worker {
  return new Worker(new URL('./lassoWorker.ts', import.meta.url), { type: 'module', name: 'winnow-lasso' });
}

export class LassoClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken = false;
  private useWorker = false;

  /** `onGrid`: the worker built the spatial grid of layout `version` (a copy, the page's to keep). */
  constructor(
    private readonly factory: (() => Worker) | null,
    private readonly onGrid: (version: number, grid: SpatialGrid) => void = () => {},
  ) {}

  /** Whether layouts go to the worker (which then sends its grid back); false until setLayout. */
  get active(): boolean {
    return this.useWorker && this.worker !== null;
  }

  /** Hands the worker copies of the layout (it builds its grid at once); small layouts stay here. */
  setLayout(x: Float32Array, y: Float32Array, skip: Uint8Array | null, version = 0): void {
    this.useWorker = x.length >= WORKER_MIN_POINTS && this.factory !== null && !this.broken;
    if (!this.useWorker) return;
    const w = this.ensureWorker();
    if (!w) return;
    const cx = x.slice();
    const cy = y.slice();
    this.post({ type: 'layout', version, x: cx, y: cy }, [cx.buffer, cy.buffer]);
    this.setSkip(skip);
  }

  setSkip(mask: Uint8Array | null): void {
    if (!this.useWorker || !this.worker) return;
    const copy = mask ? mask.slice() : null;
    this.post({ type: 'skip', mask: copy }, copy ? [copy.buffer] : []);
  }

  /** Selects with a data-space polygon; `sync` computes the same answer on this thread. */
  select(polygon: Float64Array, sync: () => PolygonHits): Promise<PolygonHits> {
    if (!this.useWorker || !this.worker) return Promise.resolve(sync());
    const id = this.nextId++;
    return new Promise<PolygonHits>((resolve) => {
      const timer = setTimeout(() => this.fail(`lasso worker timed out after ${WORKER_TIMEOUT_MS} ms`), WORKER_TIMEOUT_MS);
      this.pending.set(id, { resolve, fallback: sync, timer });
      const copy = polygon.slice();
      this.post({ type: 'select', id, polygon: copy }, [copy.buffer]);
    });
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const w = this.factory!();
      w.onmessage = (e: MessageEvent<LassoResponse>) => this.receive(e.data);
      w.onerror = (e) => {
        e.preventDefault();
        this.fail(`lasso worker failed: ${e.message}`);
      };
      w.onmessageerror = () => this.fail('lasso worker sent an unreadable message');
      this.worker = w;
    } catch (err) {
      this.fail(`lasso worker could not start: ${String(err)}`);
    }
    return this.worker;
  }

  private post(m: LassoRequest, transfer: Transferable[]): void {
    try {
      this.worker?.postMessage(m, transfer);
    } catch (err) {
      this.fail(`lasso worker post failed: ${String(err)}`);
    }
  }

  private receive(m: LassoResponse): void {
    if (m.type === 'grid') return this.onGrid(m.version, m.grid);
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.type === 'result') p.resolve({ ids: m.ids, reason: m.reason });
    else p.resolve(p.fallback());
  }

  /** Drops the worker for good and answers everything in flight on the main thread. */
  private fail(why: string): void {
    console.warn(`[scene] ${why}; selecting on the main thread from now on`);
    this.broken = true;
    this.useWorker = false;
    this.worker?.terminate();
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.resolve(p.fallback());
    }
  }
}
