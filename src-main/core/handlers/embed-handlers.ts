import type { embedContract } from '../../../src-shared/contract/embed';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { WinnowCore } from '../winnow-core';

export const NO_SAMPLES = 'Nothing to embed: this project has no samples yet. Import images first (Import…).';

export function embedHandlers(core: WinnowCore): Handlers<typeof embedContract> {
  return {
    'embed.start': (params) => {
      // Refused before a job exists: an empty project would otherwise "succeed" with an empty set.
      if (core.project.catalog.overview().total === 0) throw new RpcError('precondition', NO_SAMPLES);
      return { jobId: core.project.startEmbed(params) };
    },
    'embed.status': () => {
      const p = core.project;
      const sets = p.embeddings.sets().map(({ id, modelName, modelSha256, dim, provider, count, failed, createdAt }) => ({ id, modelName, modelSha256, dim, provider, count, failed, createdAt }));
      return { sets, activeSetId: p.embeddings.activeSet()?.id ?? null, samples: p.catalog.overview().total };
    },
    'similar.query': async ({ id, imagePath, k }) => (id !== undefined ? core.project.similar.bySample(id, k ?? 20) : core.project.similar.byImage(imagePath!, k ?? 20)),
  };
}
