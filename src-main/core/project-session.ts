// One open project: its catalog, its job store and the job manager running its work.
import type { JobParams } from '../../src-shared/contract/job-map';
import { Catalog } from './catalog/catalog';
import { createProjectDb, openProjectDb, settleForReaders, type Db } from './catalog/db';
import { ProjectLease } from './catalog/project-lease';
import { importFolder } from './import/import-folder';
import { importDemo } from './import/import-demo';
import { demoSetMissing } from './import/idx';
import { RpcError } from '../../src-shared/rpc/errors';
import { JobManager, type JobEvents, type JobRunners } from './jobs/job-manager';
import { JobStore } from './jobs/job-store';
import { LabelEdits } from './labels/label-edits';
import { EmbeddingStore } from './embed/embedding-store';
import { runEmbed } from './embed/run-embed';
import { SimilarSearch } from './embed/similar-search';
import { similarCodesPath } from './embed/similar-codes-file';
import { MapStore } from './map/map-store';
import { runMap, scoresProgress } from './map/run-map';
import { runCurate } from './curate/run-curate';
import { refreshScoresOffThread, type ScoreRun } from './curate/score-thread';
import { SliceStore } from './slices/slice-store';
import { importPredictions } from './curate/predictions-store';
import type { PredictionsImportResult } from '../../src-shared/contract/curate';
import { runExport } from './export/run-export';
import { runValidationSet } from './reference/run-validation-set';
import { runSliceReport } from './reference/run-slice-report';
import { resolve } from 'node:path';
import { toProjectError } from './catalog/sqlite-errors';
import { useNativeRowProducts } from './native/gemm';

type LeaseTaker = (onLost: () => void) => ProjectLease;

export class ProjectSession {
  readonly jobStore: JobStore;
  readonly jobs: JobManager;
  readonly labels: LabelEdits;
  readonly embeddings: EmbeddingStore;
  readonly similar: SimilarSearch;

  readonly maps: MapStore;
  readonly slices: SliceStore;

  /** Null when this session only reads the project (opened read-only, or the lease was lost). */
  private lease: ProjectLease | null = null;

  private constructor(readonly catalog: Catalog, events: JobEvents, private readonly emit: (name: string, payload: unknown) => void, lease: LeaseTaker | null) {
    // Scorings of fewer than 10,000 samples, and a curate run's engines, run on this thread.
    useNativeRowProducts();
    this.jobStore = new JobStore(catalog.db);
    if (lease) {
      this.lease = lease(() => this.leaseLost());
      // Only the lease owner may call a running job dead: the process that ran it is gone.
      this.jobStore.markInterrupted();
    }
    // A read-only session still lists the project's jobs, but its own short jobs (an export) keep
    // their state in memory: the project may not be written, and jobs it does not own are never touched.
    this.jobs = new JobManager(this.lease ? this.jobStore : new JobStore(createProjectDb(':memory:')), this.runners(), events);
    this.labels = new LabelEdits(catalog);
    this.embeddings = new EmbeddingStore(catalog);
    this.similar = new SimilarSearch(this.embeddings, catalog.db.memory ? undefined : { path: (setId) => similarCodesPath(catalog.path, setId), write: this.lease !== null });
    this.maps = new MapStore(catalog);
    this.slices = new SliceStore(catalog);
  }

  static create(path: string, events: JobEvents, emit: (name: string, payload: unknown) => void = () => {}): ProjectSession {
    const abs = resolve(path);
    return ProjectSession.owning(createProjectDb(abs), abs, events, emit);
  }

  /**
   * Opens a project to work on it: takes the owner lease, or throws `in_use` when another
   * Winnow process has it. With `readOnly`, takes no lease and writes nothing (not even job
   * states), so it is safe beside the owner.
   */
  static open(path: string, events: JobEvents, emit: (name: string, payload: unknown) => void = () => {}, opts: { readOnly?: boolean } = {}): ProjectSession {
    const abs = resolve(path);
    if (opts.readOnly) return new ProjectSession(new Catalog(openProjectDb(abs, { readOnly: true }), abs), events, emit, null);
    return ProjectSession.owning(openProjectDb(abs), abs, events, emit);
  }

  private static owning(db: Db, abs: string, events: JobEvents, emit: (name: string, payload: unknown) => void): ProjectSession {
    try {
      return new ProjectSession(new Catalog(db, abs), events, emit, (onLost) => ProjectLease.acquire(db, { onLost }));
    } catch (err) {
      db.close();
      throw toProjectError(err);
    }
  }

  /** True when this session may not change the project (see `open`). */
  get readOnly(): boolean {
    return this.lease === null;
  }

  startImport(source: JobParams<'import'>): string {
    // A demo set that is not installed is refused here, where the import was asked for.
    const missing = source.kind === 'folder' ? undefined : demoSetMissing(source.kind);
    if (missing) throw new RpcError('not_found', missing);
    return this.jobs.start('import', source);
  }

  startEmbed(params: JobParams<'embed'>): string {
    return this.jobs.start('embed', params);
  }

  startMap(params: JobParams<'map'>): string {
    return this.jobs.start('map', params);
  }

  startCurate(params: JobParams<'curate'>): string {
    return this.jobs.start('curate', params);
  }

  startExport(params: JobParams<'export'>): string {
    return this.jobs.start('export', params);
  }

  startValidationSet(params: JobParams<'validation-set'>): string {
    return this.jobs.start('validation-set', params);
  }

  startSliceReport(params: JobParams<'slice-report'>): string {
    return this.jobs.start('slice-report', params);
  }

  /**
   * Stores a model's predictions (all checked before anything is written) and, where a map
   * exists, refreshes its scores so "model disagrees" is queryable right away.
   */
  async importPredictions(file: string, opts: { partial?: boolean } = {}): Promise<PredictionsImportResult> {
    const summary = importPredictions(this.catalog, file, opts);
    const rescored = this.maps.latestId() !== null;
    if (rescored) await this.rescore();
    return { ...summary, rescored };
  }

  /**
   * Makes the newest map's stored scores current (recomputed only when an input changed); a job
   * passes its signal and progress. A big project is scored on a worker thread (score-thread.ts).
   */
  rescore(opts: { nearDuplicateThreshold?: number; appearanceThreshold?: number } = {}, run: ScoreRun = {}) {
    return refreshScoresOffThread(this.catalog, this.embeddings, this.maps, opts, run);
  }

  async close(): Promise<void> {
    await this.jobs.cancelAll();
    await this.similar.settled();
    if (this.lease) {
      this.lease.release();
      settleForReaders(this.catalog.db);
    }
    this.lease = null;
    this.catalog.close();
  }

  /** Another process took the lease over (this one stalled for minutes): stop writing. */
  private leaseLost(): void {
    this.lease = null;
    void this.jobs.cancelAll();
  }

  private runners(): JobRunners {
    return {
      import: (source, ctx) => {
        return source.kind !== 'folder' ? importDemo(this.catalog, source.kind, ctx) : importFolder(this.catalog, { path: source.path, labelsFile: source.labelsFile, maxMegapixels: source.maxMegapixels, decodeTimeoutSeconds: source.decodeTimeoutSeconds }, ctx);
      },
      embed: (params, ctx) => runEmbed(this.catalog, params, ctx),
      map: async (params, ctx) => {
        this.similar.release();
        const { result, vectors } = await runMap(this.catalog, this.embeddings, params, ctx, (p) => this.emit('map.progress', p));
        // Scores belong to a map; computing them here makes them queryable right away.
        const t0 = performance.now();
        // Cancellable and reported: at a million samples the first scoring is over a minute.
        await this.rescore({}, { signal: ctx.signal, progress: scoresProgress(ctx), vectors });
        return { ...result, timings: { ...result.timings, scores: performance.now() - t0 } };
      },
      export: (params, ctx) => runExport(this.catalog, params, ctx),
      curate: (params, ctx) => runCurate(this.catalog, this.embeddings, this.maps, this.slices, params, ctx),
      'validation-set': (params, ctx) => runValidationSet(this.catalog, this.embeddings, this.maps, this.slices, params, ctx),
      'slice-report': (params, ctx) => runSliceReport(this.catalog, this.embeddings, this.maps, this.slices, params, ctx),
    };
  }
}
