// Child process for a test: an embedding job that fails mid-run (SQLite cap = a full disk),
// then the process must be able to exit on its own. Usage: tsx embed-until-full.ts DIR
import { join } from 'node:path';
import { ProjectSession } from '../core/project-session';
import { makeFixtureFolder } from './fixture-images';

const dir = process.argv[2]!;
const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 20 });
const project = ProjectSession.create(join(dir, 'p.winnow'), { progress: () => {}, finished: () => {} });
await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
const pages = project.catalog.db.pragma('page_count', { simple: true }) as number;
project.catalog.db.pragma(`max_page_count = ${pages + 12}`);
const job = await project.jobs.wait(project.startEmbed({ device: 'cpu', batch: 4 }));
await project.close();
process.stdout.write(`${job.state}\n`);
