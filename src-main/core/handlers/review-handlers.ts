import type { reviewContract } from '../../../src-shared/contract/review';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import type { ProjectSession } from '../project-session';
import { ReviewService } from '../review/review-service';
import type { WinnowCore } from '../winnow-core';

export function reviewHandlers(core: WinnowCore): Handlers<typeof reviewContract> {
  // One service per open project: it keeps the newest map's graph between cards.
  const services = new WeakMap<ProjectSession, ReviewService>();
  const review = () => {
    const project = core.project;
    let s = services.get(project);
    if (!s) services.set(project, (s = new ReviewService(project)));
    return s;
  };
  return {
    'review.evidence': ({ id, neighbours }) => review().evidence(id, neighbours),
    'review.queue': (args) => review().queue(args),
    'review.position': ({ key, position }) => { review().setPosition(key, position); return { ok: true as const }; },
    'review.decide': ({ id, decision }) => review().decide(id, decision),
    'review.summary': (args) => review().summary(args),
    'review.acceptAll': (args) => review().acceptAll(args),
  };
}
