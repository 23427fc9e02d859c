// One open project: its catalog, its job store and the job manager running its work.
import type { JobKind } from '../../src-shared/model/job';
import type { ImportSource } from '../../src-shared/contract/dataset';
import { Catalog } from './catalog/catalog';
import { createProjectDb, openProjectDb } from './catalog/db';
import { importFolder } from './import/import-folder';
import { importMnist } from './import/import-mnist';
import { JobManager, type JobEvents, type JobRunner } from './jobs/job-manager';
import { JobStore } from './jobs/job-store';
import { LabelEdits } from './labels/label-edits';
import { EmbeddingStore } from './embed/embedding-store';
import { runEmbed, type EmbedParams } from './embed/run-embed';
import { SimilarSearch } from './embed/similar-search';
import { MapStore } from './map/map-store';
import { runMap, type MapParams } from './map/run-map';
import { runCurate, type CurateParams } from './curate/run-curate';
import { scoreProject } from './curate/score-store';
import { SliceStore } from './slices/slice-store';
import { runExport } from './export/run-export';
import type { ExportParams } from '../../src-shared/contract/export';
import { resolve } from 'node:path';

export class ProjectSession {
  readonly jobStore: JobStore;
  readonly jobs: JobManager;
  readonly labels: LabelEdits;
  readonly embeddings: EmbeddingStore;
  readonly similar: SimilarSearch;

  readonly maps: MapStore;
  readonly slices: SliceStore;

  private constructor(readonly catalog: Catalog, events: JobEvents, private readonly emit: (name: string, payload: unknown) => void) {
    this.jobStore = new JobStore(catalog.db);
    this.jobStore.markInterrupted();
    this.jobs = new JobManager(this.jobStore, this.runners(), events);
    this.labels = new LabelEdits(catalog);
    this.embeddings = new EmbeddingStore(catalog);
    this.similar = new SimilarSearch(this.embeddings);
    this.maps = new MapStore(catalog);
    this.slices = new SliceStore(catalog);
  }

  static create(path: string, events: JobEvents, emit: (name: string, payload: unknown) => void = () => {}): ProjectSession {
    const abs = resolve(path);
    return new ProjectSession(new Catalog(createProjectDb(abs), abs), events, emit);
  }

  static open(path: string, events: JobEvents, emit: (name: string, payload: unknown) => void = () => {}): ProjectSession {
    const abs = resolve(path);
    return new ProjectSession(new Catalog(openProjectDb(abs), abs), events, emit);
  }

  startImport(source: ImportSource): string {
    return this.jobs.start('import', source);
  }

  startEmbed(params: EmbedParams): string {
    return this.jobs.start('embed', params);
  }

  startMap(params: MapParams): string {
    return this.jobs.start('map', params);
  }

  startCurate(params: CurateParams): string {
    return this.jobs.start('curate', params);
  }

  startExport(params: ExportParams): string {
    return this.jobs.start('export', params);
  }

  /** Recomputes and stores the newest map's scores from the current labels. */
  rescore(opts: { nearDuplicateThreshold?: number; appearanceThreshold?: number } = {}) {
    return scoreProject(this.catalog, this.embeddings, this.maps, opts);
  }

  async close(): Promise<void> {
    await this.jobs.cancelAll();
    this.catalog.close();
  }

  private runners(): Partial<Record<JobKind, JobRunner>> {
    return {
      import: (params, ctx) => {
        const source = params as ImportSource;
        return source.kind === 'mnist' ? importMnist(this.catalog, ctx) : importFolder(this.catalog, { path: source.path, labelsFile: source.labelsFile, maxMegapixels: source.maxMegapixels, decodeTimeoutSeconds: source.decodeTimeoutSeconds }, ctx);
      },
      embed: (params, ctx) => runEmbed(this.catalog, params as EmbedParams, ctx),
      map: async (params, ctx) => {
        const result = await runMap(this.catalog, this.embeddings, params as MapParams, ctx, (p) => this.emit('map.progress', p));
        // Scores belong to a map; computing them here makes them queryable right away.
        const t0 = performance.now();
        await this.rescore();
        return { ...result, timings: { ...result.timings, scores: performance.now() - t0 } };
      },
      export: (params, ctx) => runExport(this.catalog, params as ExportParams, ctx),
      curate: (params, ctx) => runCurate(this.catalog, this.embeddings, this.maps, this.slices, params as CurateParams, ctx),
    };
  }
}
