// The review loop of one open project (review.* methods): evidence, queues and their stored
// positions, decisions, the summary and accept-all.
import type { ReviewDecisionResult, ReviewQueueResult } from '../../../src-shared/contract/review';
import type { EditResult } from '../../../src-shared/model/edit';
import type { ReviewDecision, ReviewOrder, ReviewSummary, SampleEvidence } from '../../../src-shared/model/review';
import { acceptAll, decide } from './decisions';
import { MapGraphCache, sampleEvidence } from './evidence';
import { reviewQueue, savePosition } from './queue';
import type { QueueSource, ReviewProject } from './review-source';
import { reviewSummary } from './summary';

export class ReviewService {
  private readonly graphs: MapGraphCache;

  constructor(private readonly project: ReviewProject) {
    this.graphs = new MapGraphCache(project.maps);
  }

  evidence(id: number, neighbours?: number): SampleEvidence {
    return sampleEvidence(this.project.catalog, this.project.maps, this.graphs, id, neighbours);
  }

  queue(source: QueueSource & { order?: ReviewOrder }): ReviewQueueResult {
    return reviewQueue(this.project, source);
  }

  setPosition(key: string, position: number): void {
    savePosition(this.project.catalog, key, position);
  }

  decide(id: number, decision: ReviewDecision, actor?: string): ReviewDecisionResult {
    return decide(this.project, id, decision, actor);
  }

  summary(source: QueueSource): ReviewSummary {
    return reviewSummary(this.project, source);
  }

  acceptAll(source: QueueSource & { minNoise: number; dryRun?: boolean }, actor?: string): { count: number; edit: EditResult | null } {
    return acceptAll(this.project, source, actor);
  }
}
