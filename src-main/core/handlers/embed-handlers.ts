import type { embedContract } from '../../../src-shared/contract/embed';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import type { WinnowCore } from '../winnow-core';

export function embedHandlers(core: WinnowCore): Handlers<typeof embedContract> {
  return {
    'embed.start': (params) => ({ jobId: core.project.startEmbed(params) }),
    'embed.status': () => {
      const p = core.project;
      const sets = p.embeddings.sets().map(({ id, modelName, modelSha256, dim, provider, count, failed, createdAt }) => ({ id, modelName, modelSha256, dim, provider, count, failed, createdAt }));
      return { sets, activeSetId: p.embeddings.activeSet()?.id ?? null, samples: p.catalog.overview().total };
    },
    'similar.query': async ({ id, imagePath, k }) => (id !== undefined ? core.project.similar.bySample(id, k ?? 20) : core.project.similar.byImage(imagePath!, k ?? 20)),
  };
}
