import type { projectContract, ProjectSummary } from '../../../src-shared/contract/project';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import type { ProjectSession } from '../project-session';
import type { WinnowCore } from '../winnow-core';

const summary = (s: ProjectSession): ProjectSummary => ({ path: s.catalog.path, overview: s.catalog.overview() });

export function projectHandlers(core: WinnowCore): Handlers<typeof projectContract> {
  return {
    'project.create': async ({ path }) => summary(await core.createProject(path)),
    'project.open': async ({ path }) => summary(await core.openProject(path)),
    'project.current': () => (core.currentProject ? summary(core.currentProject) : null),
    'project.close': async () => ({ closed: await core.closeProject() }),
  };
}
