// Runs long work in the background of the main process: one row per job in SQLite, progress
// as throttled events, cancellation through AbortSignal, and resume by re-running the job's
// runner with its stored parameters (runners are idempotent: they skip finished work).
import { randomUUID } from 'node:crypto';
import { jobMap, type JobParams, type JobResult } from '../../../src-shared/contract/job-map';
import type { JobFinished, JobInfo, JobKind, JobProgress } from '../../../src-shared/model/job';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { JobStore } from './job-store';
import { describeError } from '../catalog/sqlite-errors';

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  /** Reports progress; cheap to call often (events and writes are throttled). */
  progress(done: number, total: number, message?: string): void;
}

/** Runs one kind of job; its params and result are the JobMap's for that kind. */
export type JobRunner<K extends JobKind> = (params: JobParams<K>, ctx: JobContext) => Promise<JobResult<K>>;
export type JobRunners = { [K in JobKind]?: JobRunner<K> };

export interface JobEvents {
  progress(p: JobProgress): void;
  finished(f: JobFinished): void;
}

const EMIT_EVERY_MS = 100;
const PERSIST_EVERY_MS = 500;

export class JobManager {
  private readonly running = new Map<string, { controller: AbortController; promise: Promise<void> }>();

  constructor(private readonly store: JobStore, private readonly runners: JobRunners, private readonly events: JobEvents) {}

  /** Params come already validated (by the contract's dispatcher or the CLI's flag parsing). */
  start<K extends JobKind>(kind: K, params: JobParams<K>): string {
    const id = randomUUID();
    this.store.create(id, kind, params);
    this.launch(id, kind, params);
    return id;
  }

  resume(id: string): string {
    const job = this.store.get(id);
    if (this.running.has(id)) return id;
    if (job.state === 'done') throw new RpcError('conflict', `job ${id} already finished`);
    // The row's params were written by start(); parsing them again refuses a row this version
    // cannot run (an older shape) instead of handing the runner something else.
    const parsed = jobMap[job.kind].params.safeParse(job.params);
    if (!parsed.success) throw new RpcError('bad_request', `job ${id} was stored with parameters this version cannot resume: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    this.store.setRunning(id);
    this.launch(id, job.kind, parsed.data);
    return id;
  }

  cancel(id: string): boolean {
    const r = this.running.get(id);
    if (!r) return false;
    r.controller.abort();
    return true;
  }

  /** Resolves when the job has ended (any state); for the CLI and tests. */
  async wait(id: string): Promise<JobInfo> {
    await this.running.get(id)?.promise;
    return this.store.get(id);
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  async cancelAll(): Promise<void> {
    for (const r of this.running.values()) r.controller.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.promise));
  }

  private launch<K extends JobKind>(id: string, kind: K, params: JobParams<K>): void {
    const runner = this.runners[kind];
    if (!runner) throw new RpcError('internal', `no runner for ${kind} jobs`);
    const controller = new AbortController();
    const meter = new RateMeter();
    let lastEmit = 0;
    let lastPersist = 0;
    let lastPhase: string | null = null;
    const ctx: JobContext = {
      jobId: id,
      signal: controller.signal,
      progress: (done, total, message) => {
        const t = Date.now();
        meter.add(t, done);
        const final = done >= total && total > 0;
        if (final || t - lastPersist >= PERSIST_EVERY_MS) {
          lastPersist = t;
          this.store.progress(id, done, total, message ?? null);
        }
        // A new phase (the message apart from its numbers) is always shown, never throttled away.
        const phase = message === undefined ? null : progressPhase(message);
        if (final || phase !== lastPhase || t - lastEmit >= EMIT_EVERY_MS) {
          lastEmit = t;
          lastPhase = phase;
          const rate = meter.rate();
          this.events.progress({ jobId: id, kind, done, total, rate, etaSeconds: rate > 0 ? (total - done) / rate : null, message: message ?? null });
        }
      },
    };
    const promise = (async () => {
      let finished: JobFinished;
      try {
        const result = await runner(params, ctx);
        finished = { jobId: id, kind, state: 'done', error: null, result };
      } catch (err) {
        const cancelled = controller.signal.aborted;
        const message = describeError(err);
        finished = { jobId: id, kind, state: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : message, result: null };
      }
      this.store.finish(id, finished.state, finished.error, finished.result ?? undefined);
      this.running.delete(id);
      this.events.finished(finished);
    })();
    this.running.set(id, { controller, promise });
  }
}

/**
 * Items per second over the last few seconds, so the ETA follows the current pace. A job that
 * starts a second pass over its items (an import's looks after its files) reports fewer done
 * than before: the pace of the pass before does not apply, so the meter starts again.
 */
class RateMeter {
  private samples: Array<[number, number]> = [];
  add(t: number, done: number): void {
    if (done < (this.samples.at(-1)?.[1] ?? 0)) this.samples = [];
    this.samples.push([t, done]);
    while (this.samples.length > 2 && t - this.samples[0]![0] > 5000) this.samples.shift();
  }
  rate(): number {
    if (this.samples.length < 2) return 0;
    const [t0, d0] = this.samples[0]!;
    const [t1, d1] = this.samples[this.samples.length - 1]!;
    return t1 > t0 ? ((d1 - d0) * 1000) / (t1 - t0) : 0;
  }
}

/** A progress message's phase: the message apart from its numbers ("layout: t-SNE step # of #"). */
export function progressPhase(message: string): string {
  return message.replace(/[\d.,]+/g, '#');
}
