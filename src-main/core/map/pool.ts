// A fixed set of worker threads kept for the whole map computation, so that PCA, k-NN and
// layout tasks reuse warm workers (and the SharedArrayBuffers they were handed) instead of
// paying a worker start per step. Every call rejects if its worker errors or exits, and
// `close()` / an abort terminates all workers, so nothing can hang on a dead thread.
// Not workers/pool.ts's WorkerPool: that one queues independent tasks and replaces a dead
// worker; here the workers hold SharedArrayBuffers of one computation and step together, so a
// dead worker fails the whole map.
import type { Transferable, Worker } from 'node:worker_threads';
import { workerEntry } from '../../workers/entries';
import { startWorker, WorkerAbortedError } from '../../workers/spawn';
import type { MapTask, MapTaskResult, WorkerReply } from './tasks';

const ENTRY = workerEntry('layout-worker');

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onProgress?: (data: unknown) => void;
}

export class MapPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  private closed = false;
  private readonly onAbort = () => this.fail(new WorkerAbortedError());

  constructor(size: number, private readonly signal?: AbortSignal) {
    this.size = Math.max(1, size);
    for (let w = 0; w < this.size; w++) {
      const worker = startWorker(ENTRY);
      worker.on('message', (msg: WorkerReply) => this.onMessage(msg));
      worker.on('error', (err) => this.fail(err instanceof Error ? err : new Error(String(err))));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`map worker exited with code ${code}`));
      });
      this.workers.push(worker);
    }
    if (signal?.aborted) this.onAbort();
    signal?.addEventListener('abort', this.onAbort);
  }

  /** Runs `task` on worker `index`; progress messages go to `onProgress`. */
  run<K extends MapTask['kind']>(
    index: number,
    task: Extract<MapTask, { kind: K }>,
    opts: { transfer?: Transferable[]; onProgress?: (data: unknown) => void } = {},
  ): Promise<MapTaskResult<K>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: opts.onProgress });
      this.workers[index % this.size].postMessage({ id, task }, opts.transfer ?? []);
    });
  }

  private onMessage(msg: WorkerReply): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.data);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'done') p.resolve(msg.result);
    else p.reject(new Error(msg.message));
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    void this.close();
  }

  /** Throws the abort error if the signal fired (between steps). */
  check(): void {
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
