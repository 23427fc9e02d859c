// One way to start a worker thread, used by every long job. In development and tests the
// entry is TypeScript and goes through ts-bootstrap.mjs; bundled builds pass .js entries.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const TS_BOOTSTRAP = new URL('./ts-bootstrap.mjs', import.meta.url);

export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(fileURLToPath(TS_BOOTSTRAP), { ...options, argv: [...(options.argv ?? []), entry.href] });
  }
  return new Worker(fileURLToPath(entry), options);
}

export interface WorkerCallOptions<M> {
  workerData?: unknown;
  transferList?: WorkerOptions['transferList'];
  /** Called for every message that is not the final result. */
  onMessage?: (message: M) => void;
  /** The call rejects after this long; the worker is terminated. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs a worker that posts progress messages and finally `{ type: 'done', result }` or
 * `{ type: 'error', message }`. Rejects if the worker exits early, errors, times out or is
 * aborted, so a caller can never hang on a dead worker.
 */
export function callWorker<R, M = unknown>(entry: URL, opts: WorkerCallOptions<M> = {}): Promise<R> {
  // The worker gets its own copy of workerData at once (shared memory: the same memory), and no
  // closure below refers to `opts`: a caller's workerData is not kept alive for the worker's
  // whole run (a map job's scoring lets 2.2 GB of shared vectors go half-way through).
  const worker = startWorker(entry, { workerData: opts.workerData, transferList: opts.transferList });
  const { signal, onMessage, timeoutMs } = opts;
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new WorkerAbortedError()));
    const timer = timeoutMs ? setTimeout(() => finish(() => reject(new Error(`worker ${entry.pathname} timed out after ${timeoutMs} ms`))), timeoutMs) : undefined;
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (msg: { type?: string; result?: R; message?: string }) => {
      if (msg && msg.type === 'done') finish(() => resolve(msg.result as R));
      else if (msg && msg.type === 'error') finish(() => reject(new Error(msg.message ?? 'worker failed')));
      else onMessage?.(msg as M);
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`worker ${entry.pathname} exited with code ${code} before finishing`))));
  });
}

export class WorkerAbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'WorkerAbortedError';
  }
}
