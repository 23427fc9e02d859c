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
import { resolve } from 'node:path';

export class ProjectSession {
  readonly jobStore: JobStore;
  readonly jobs: JobManager;
  readonly labels: LabelEdits;

  private constructor(readonly catalog: Catalog, events: JobEvents) {
    this.jobStore = new JobStore(catalog.db);
    this.jobStore.markInterrupted();
    this.jobs = new JobManager(this.jobStore, this.runners(), events);
    this.labels = new LabelEdits(catalog);
  }

  static create(path: string, events: JobEvents): ProjectSession {
    const abs = resolve(path);
    return new ProjectSession(new Catalog(createProjectDb(abs), abs), events);
  }

  static open(path: string, events: JobEvents): ProjectSession {
    const abs = resolve(path);
    return new ProjectSession(new Catalog(openProjectDb(abs), abs), events);
  }

  startImport(source: ImportSource): string {
    return this.jobs.start('import', source);
  }

  async close(): Promise<void> {
    await this.jobs.cancelAll();
    this.catalog.close();
  }

  private runners(): Partial<Record<JobKind, JobRunner>> {
    return {
      import: (params, ctx) => {
        const source = params as ImportSource;
        return source.kind === 'mnist' ? importMnist(this.catalog, ctx) : importFolder(this.catalog, { path: source.path, labelsFile: source.labelsFile }, ctx);
      },
    };
  }
}
