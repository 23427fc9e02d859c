// A real project ready to curate: a folder of generated shape images (fixture-images) imported
// into a new project, embedded with the built-in ONNX model on the CPU and mapped (k-NN graph,
// layout, scores). The score, review, curation, reference and map tests each wrote these steps
// out again; they differ only in the number of images, the map's k and seed, the folder and the
// names they use, a labels file, and an edit between the import and the embedding, which are
// the options here.
// Each step must finish 'done' (a failed one stops the test file with the job's error). The
// folder goes with the test file (tempDir); closing the project is the caller's.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { JobInfo } from '../../src-shared/model/job';
import type { JobEvents } from '../core/jobs/job-manager';
import { ProjectSession } from '../core/project-session';
import { makeFixtureFolder, type Fixture } from './fixture-images';
import { tempDir } from './temp';

export interface MappedShapesOptions {
  /** Images of each fixture class (circle, square, stripes). */
  perClass: number;
  /** The map's neighbours and layout seed; left out, the map job's defaults. */
  k?: number;
  seed?: number;
  /** The folder to work in; a new tempDir() when left out. */
  dir?: string;
  /** The image folder's name in `dir` (default 'shapes'). */
  name?: string;
  /** The project file's name in `dir` (default `<name>.winnow`). */
  projectFile?: string;
  /** A labels file for the import (path,label,… columns). */
  labelsFile?: string;
  /** Runs between the import and the embedding (e.g. to drop the labels). */
  afterImport?: (project: ProjectSession) => void;
}

export interface MappedShapesProject {
  project: ProjectSession;
  /** The folder the images and the project are in. */
  dir: string;
  /** The project file. */
  path: string;
  /** The image folder (its root and sizes). */
  fixture: Fixture;
}

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

function done(job: JobInfo): void {
  assert.equal(job.state, 'done', `${job.kind}: ${job.error ?? ''}`);
}

export async function mappedShapesProject(opts: MappedShapesOptions): Promise<MappedShapesProject> {
  const dir = opts.dir ?? tempDir();
  const name = opts.name ?? 'shapes';
  const fixture = await makeFixtureFolder(join(dir, name), { perClass: opts.perClass });
  const path = join(dir, opts.projectFile ?? `${name}.winnow`);
  const project = ProjectSession.create(path, quiet);
  done(await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root, ...(opts.labelsFile !== undefined && { labelsFile: opts.labelsFile }) })));
  opts.afterImport?.(project);
  done(await project.jobs.wait(project.startEmbed({ device: 'cpu' })));
  done(await project.jobs.wait(project.startMap({ ...(opts.k !== undefined && { k: opts.k }), ...(opts.seed !== undefined && { seed: opts.seed }) })));
  return { project, dir, path, fixture };
}
