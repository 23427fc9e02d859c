// One open project: its catalog, its job store and the job manager running its work.
import type { JobParams } from '../../src-shared/contract/job-map';
import { Catalog } from './catalog/catalog';
import { createProjectDb, openProjectDb } from './catalog/db';
import { importFolder } from './import/import-folder';
import { importMnist } from './import/import-mnist';
import { JobManager, type JobEvents, type JobRunners } from './jobs/job-manager';
import { JobStore } from './jobs/job-store';
import { LabelEdits } from './labels/label-edits';
import { EmbeddingStore } from './embed/embedding-store';
import { runEmbed } from './embed/run-embed';
import { SimilarSearch } from './embed/similar-search';
import { MapStore } from './map/map-store';
import { runMap } from './map/run-map';
import { runCurate } from './curate/run-curate';
import { scoreProject } from './curate/score-store';
import { SliceStore } from './slices/slice-store';
import { runExport } from './export/run-export';
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

  startImport(source: JobParams<'import'>): string {
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

  /** Recomputes and stores the newest map's scores from the current labels. */
  rescore(opts: { nearDuplicateThreshold?: number; appearanceThreshold?: number } = {}) {
    return scoreProject(this.catalog, this.embeddings, this.maps, opts);
  }

  async close(): Promise<void> {
    await this.jobs.cancelAll();
    this.catalog.close();
  }

  private runners(): JobRunners {
    return {
      import: (source, ctx) => {
        return source.kind === 'mnist' ? importMnist(this.catalog, ctx) : importFolder(this.catalog, { path: source.path, labelsFile: source.labelsFile }, ctx);
      },
      embed: (params, ctx) => runEmbed(this.catalog, params, ctx),
      map: async (params, ctx) => {
        const result = await runMap(this.catalog, this.embeddings, params, ctx, (p) => this.emit('map.progress', p));
        // Scores belong to a map; computing them here makes them queryable right away.
        const t0 = performance.now();
        await this.rescore();
        return { ...result, timings: { ...result.timings, scores: performance.now() - t0 } };
      },
      export: (params, ctx) => runExport(this.catalog, params, ctx),
      curate: (params, ctx) => runCurate(this.catalog, this.embeddings, this.maps, this.slices, params, ctx),
    };
  }
}
