// A fixed pool of long-lived worker threads serving request/response tasks. A task rejects if
// its worker dies or the task times out; the dead worker is replaced, so the pool never hangs.
// For independent tasks (import decoding, embedding batches): a queue, one task per worker, a
// failure costs one task. The map has its own pool (core/map/pool.ts, MapPool) because its
// workers share memory across one computation and one failure must end all of it.
import type { Worker } from 'node:worker_threads';
import { startWorker } from './spawn';

interface Task<I, O> { input: I; transfer?: ArrayBuffer[]; resolve: (o: O) => void; reject: (e: Error) => void }
interface Slot { worker: Worker; busy: boolean; taskId: number; timer?: NodeJS.Timeout; current?: Task<unknown, unknown>; idle?: () => void; settled?: Promise<void> }

export class WorkerPool<I, O> {
  private readonly slots: Slot[] = [];
  private readonly queue: Array<Task<I, O>> = [];
  private nextTask = 1;
  private closed = false;

  constructor(private readonly entry: URL, size: number, private readonly taskTimeoutMs = 120_000, private readonly workerData?: unknown) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  run(input: I, transfer?: ArrayBuffer[]): Promise<O> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, transfer, resolve, reject });
      this.pump();
    });
  }

  /**
   * Rejects queued tasks, lets the ones already running finish (each is bounded by the task
   * timeout), then stops the workers: a worker terminated inside a native call (sharp,
   * onnxruntime) can leave the process unable to exit.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('worker pool is closed'));
    await Promise.all(this.slots.map((s) => s.settled));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = startWorker(this.entry, { workerData: this.workerData });
    const slot: Slot = { worker, busy: false, taskId: 0 };
    worker.on('message', (msg: { taskId: number; ok: boolean; output?: O; error?: string }) => {
      if (msg.taskId !== slot.taskId || !slot.current) return;
      const task = slot.current;
      this.release(slot);
      if (msg.ok) task.resolve(msg.output);
      else task.reject(new Error(msg.error ?? 'worker task failed'));
    });
    const die = (err: Error) => {
      const task = slot.current;
      this.release(slot);
      task?.reject(err);
      if (this.closed) return;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
      this.pump();
    };
    worker.on('error', die);
    worker.on('exit', (code) => { if (!this.closed) die(new Error(`worker exited with code ${code}`)); });
    worker.unref();
    return slot;
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.busy = false;
    slot.current = undefined;
    slot.idle?.();
    slot.idle = undefined;
    slot.settled = undefined;
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const task = this.queue.shift();
      if (!task) return;
      slot.busy = true;
      slot.settled = new Promise((resolve) => { slot.idle = resolve; });
      slot.taskId = this.nextTask++;
      slot.current = task as Task<unknown, unknown>;
      slot.timer = setTimeout(() => { void slot.worker.terminate(); }, this.taskTimeoutMs);
      slot.worker.postMessage({ taskId: slot.taskId, input: task.input }, task.transfer ?? []);
    }
  }
}

/** The worker side: answers each task message with the handler's output. */
export function serveTasks<I, O>(port: { on(ev: 'message', l: (m: { taskId: number; input: I }) => void): void; postMessage(m: unknown, t?: ArrayBuffer[]): void }, handler: (input: I) => Promise<{ output: O; transfer?: ArrayBuffer[] }>): void {
  port.on('message', (msg) => {
    handler(msg.input).then(
      ({ output, transfer }) => port.postMessage({ taskId: msg.taskId, ok: true, output }, transfer ?? []),
      (err: unknown) => port.postMessage({ taskId: msg.taskId, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
